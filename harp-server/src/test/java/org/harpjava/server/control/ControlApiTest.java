package org.harpjava.server.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.harpjava.server.HarpServer;
import org.harpjava.server.testing.FakeNextcloud;
import org.harpjava.server.testing.Harp;
import org.harpjava.server.testing.Http;
import org.harpjava.server.testing.RawExApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * AppAPI's control calls under {@code /exapps/app_api/}: info, heartbeat and the ExApp metadata store, which the
 * proxy then routes by. Every call needs the shared key; a missing or wrong key is a brute-force failure. Each
 * test that fails on purpose sends from its own loopback address, so bans stay apart.
 */
class ControlApiTest {
    private static final String KEY = "control-shared-key";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static RawExApp fromNextcloud;
    private static RawExApp pushed;
    private static FakeNextcloud nextcloud;
    private static HarpServer harp;

    @BeforeAll
    static void start() throws Exception {
        fromNextcloud = new RawExApp();
        pushed = new RawExApp();
        nextcloud = new FakeNextcloud(KEY)
                .app("moved", "nc-secret", fromNextcloud.port(), "[{\"url\":\"^/\",\"access_level\":0}]");
        Map<String, String> env = Harp.nextcloud(nextcloud, KEY);
        env.put("HP_BLACKLIST_COUNT", "3");
        harp = Harp.start(env);
    }

    @AfterAll
    static void stop() throws Exception {
        harp.stop();
        nextcloud.close();
        fromNextcloud.close();
        pushed.close();
    }

    @BeforeEach
    void reset() {
        fromNextcloud.clear();
        pushed.clear();
    }

    private static String call(String from, String method, String path, String body, String... headerLines) {
        StringBuilder req = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: harp.example\r\n");
        for (String h : headerLines) {
            req.append(h).append("\r\n");
        }
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        if (body != null) {
            req.append("Content-Type: application/json\r\nContent-Length: ").append(bytes.length).append("\r\n");
        }
        req.append("Connection: close\r\n\r\n").append(body == null ? "" : body);
        return Http.exchange(address(from), InetAddress.getLoopbackAddress(), harp.port(), req.toString());
    }

    private static String control(String method, String path, String body) {
        return call("127.0.0.1", method, "/exapps/app_api" + path, body, "harp-shared-key: " + KEY);
    }

    private static String metadata(String secret, int port, String routes) {
        return "{\"exapp_token\":\"" + secret + "\",\"exapp_version\":\"3.0.0\",\"host\":\"127.0.0.1\",\"port\":" + port
                + ",\"routes\":" + routes + "}";
    }

    @Test
    void infoReportsVersionAndUnreachableDockerAndNoKubernetes() throws Exception {
        String res = control("GET", "/info", null);
        assertEquals(200, Http.status(res), res);
        assertTrue(Http.headerLines(res).contains("Content-Type: application/json"), res);
        JsonNode info = JSON.readTree(Http.body(res));
        assertEquals("0.4.4", info.get("version").asText());
        assertTrue(info.get("docker").isBoolean());
        assertEquals(false, info.get("docker").asBoolean(), "the engine's socket does not exist");
        assertEquals(24000, info.get("docker_engines").get(0).get("port").asInt());
        assertEquals(false, info.get("docker_engines").get(0).get("reachable").asBoolean());
        assertEquals(false, info.get("kubernetes").get("enabled").asBoolean());
    }

    @Test
    void heartbeatIsOk() throws Exception {
        String res = control("GET", "/heartbeat", null);
        assertEquals(200, Http.status(res), res);
        assertEquals("ok", JSON.readTree(Http.body(res)).get("status").asText());
    }

    @Test
    void storedMetadataIsRoutedByAndDeleteStopsServing() {
        assertEquals(404, Http.status(call("127.0.0.30", "GET", "/exapps/pushed-app/page", null)),
                "Nextcloud does not know this app");

        String stored = control("POST", "/exapp_storage/pushed-app",
                metadata("pushed-secret", pushed.port(), "[{\"url\":\"^/page\",\"access_level\":0}]"));
        assertEquals(204, Http.status(stored), stored);
        int metaCalls = nextcloud.metaCalls();
        String res = call("127.0.0.1", "GET", "/exapps/pushed-app/page?x=1", null);
        assertEquals(200, Http.status(res), res);
        RawExApp.Received up = pushed.next();
        assertEquals("/page?x=1", up.target());
        assertEquals(java.util.List.of("3.0.0"), up.headers("EX-APP-VERSION"));
        assertEquals(java.util.List.of(b64(":pushed-secret")), up.headers("AUTHORIZATION-APP-API"));
        assertEquals(metaCalls, nextcloud.metaCalls(), "stored metadata needs no call to Nextcloud");

        String replaced = control("POST", "/exapp_storage/pushed-app",
                metadata("pushed-secret", pushed.port(), "[{\"url\":\"^/page\",\"access_level\":2}]"));
        assertEquals(204, Http.status(replaced), replaced);
        assertEquals(403, Http.status(call("127.0.0.31", "GET", "/exapps/pushed-app/page", null)));

        String deleted = control("DELETE", "/exapp_storage/pushed-app", null);
        assertEquals(204, Http.status(deleted), deleted);
        assertEquals(404, Http.status(call("127.0.0.32", "GET", "/exapps/pushed-app/page", null)));
        String again = control("DELETE", "/exapp_storage/pushed-app", null);
        assertEquals(404, Http.status(again), again);
        assertTrue(pushed.idle(), "nothing reaches a deleted app");
    }

    @Test
    void storedMetadataWinsOverNextcloud() {
        assertEquals(200, Http.status(call("127.0.0.1", "GET", "/exapps/moved/x", null)));
        fromNextcloud.next();

        String stored = control("POST", "/exapp_storage/moved", metadata("moved-secret", pushed.port(),
                "[{\"url\":\"^/\",\"access_level\":0}]"));
        assertEquals(204, Http.status(stored), stored);
        assertEquals(200, Http.status(call("127.0.0.1", "GET", "/exapps/moved/x", null)));
        assertEquals("/x", pushed.next().target());
        assertTrue(fromNextcloud.idle());
    }

    @ParameterizedTest(name = "[{index}] \"{0}\"")
    @ValueSource(strings = {"", " ", "{", "{\"exapp_token\":\"s\"} xyz", "{}{}", "not json", "[1,2] ]"})
    void malformedJsonIsRefused(String body) {
        String res = control("POST", "/exapp_storage/bad-json", body);
        assertEquals(400, Http.status(res), res);
        assertEquals("Invalid JSON body\n", Http.body(res));
        assertTrue(Http.headerLines(res).stream().anyMatch(l -> l.startsWith("Content-Type: text/plain")), res);
    }

    @Test
    void validDocumentWithTrailingGarbageIsRefused() {
        String res = control("POST", "/exapp_storage/bad-json",
                metadata("s", pushed.port(), "[{\"url\":\"^/\",\"access_level\":0}]") + " xyz");
        assertEquals(400, Http.status(res), res);
        assertEquals("Invalid JSON body\n", Http.body(res));
        assertEquals(404, Http.status(call("127.0.0.33", "GET", "/exapps/bad-json/x", null)), "nothing was stored");
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
            "[1,2]                                                                          | JSON object",
            "{\"exapp_version\":\"1\",\"host\":\"h\",\"port\":1,\"routes\":[]}              | exapp_token",
            "{\"exapp_token\":5,\"exapp_version\":\"1\",\"host\":\"h\",\"port\":1,\"routes\":[]} | exapp_token",
            "{\"exapp_token\":\"s\",\"exapp_version\":1,\"host\":\"h\",\"port\":1,\"routes\":[]} | exapp_version",
            "{\"exapp_token\":\"s\",\"exapp_version\":\"1\",\"host\":[],\"port\":1,\"routes\":[]} | host",
            "{\"exapp_token\":\"s\",\"exapp_version\":\"1\",\"host\":\"h\",\"port\":\"80\",\"routes\":[]} | port",
            "{\"exapp_token\":\"s\",\"exapp_version\":\"1\",\"host\":\"h\",\"port\":70000,\"routes\":[]} | port",
            "{\"exapp_token\":\"s\",\"exapp_version\":\"1\",\"host\":\"h\",\"port\":1.5,\"routes\":[]} | port",
            "{\"exapp_token\":\"s\",\"exapp_version\":\"1\",\"host\":\"h\",\"port\":1,\"routes\":{}} | routes",
            "{\"exapp_token\":\"s\",\"exapp_version\":\"1\",\"host\":\"h\",\"port\":1,\"routes\":[5]} | routes[0]",
            "{\"exapp_token\":\"s\",\"exapp_version\":\"1\",\"host\":\"h\",\"port\":1,\"routes\":[{\"url\":\"\",\"access_level\":0}]} | routes[0].url",
            "{\"exapp_token\":\"s\",\"exapp_version\":\"1\",\"host\":\"h\",\"port\":1,\"routes\":[{\"url\":\"^/\",\"access_level\":\"ROOT\"}]} | routes[0].access_level",
            "{\"exapp_token\":\"s\",\"exapp_version\":\"1\",\"host\":\"h\",\"port\":1,\"routes\":[{\"url\":\"^/\",\"access_level\":true}]} | routes[0].access_level",
            "{\"exapp_token\":\"s\",\"exapp_version\":\"1\",\"host\":\"h\",\"port\":1,\"routes\":[{\"url\":\"^/\",\"access_level\":0,\"bruteforce_protection\":\"oops\"}]} | routes[0].bruteforce_protection",
            "{\"exapp_token\":\"s\",\"exapp_version\":\"1\",\"host\":\"h\",\"port\":1,\"routes\":[{\"url\":\"^/\",\"access_level\":0,\"bruteforce_protection\":[\"401\"]}]} | routes[0].bruteforce_protection",
            "{\"exapp_token\":\"s\",\"exapp_version\":\"1\",\"host\":\"h\",\"port\":1,\"routes\":[{\"url\":\"^/\",\"access_level\":0,\"bruteforce_protection\":\"[401] xyz\"}]} | routes[0].bruteforce_protection",
    })
    void wrongFieldsAreRefusedWithTheReason(String body, String field) {
        String res = control("POST", "/exapp_storage/bad-fields", body);
        assertEquals(400, Http.status(res), res);
        String text = Http.body(res);
        assertTrue(text.startsWith("Payload validation error: "), text);
        assertTrue(text.contains(field), text);
        assertTrue(text.length() < 200, "a short reason: " + text);
    }

    @Test
    void missingOrWrongKeyIsRefused() {
        String missing = call("127.0.0.40", "GET", "/exapps/app_api/info", null);
        assertEquals(401, Http.status(missing), missing);
        String wrong = call("127.0.0.41", "POST", "/exapps/app_api/exapp_storage/intruder",
                metadata("s", pushed.port(), "[{\"url\":\"^/\",\"access_level\":0}]"), "harp-shared-key: guess");
        assertEquals(401, Http.status(wrong), wrong);
        assertEquals(404, Http.status(call("127.0.0.42", "GET", "/exapps/intruder/x", null)), "nothing was stored");
    }

    @Test
    void wrongKeysLeadToABanThatTheKeyHolderEscapes() {
        String from = "127.0.0.43";
        for (int i = 0; i < 3; i++) {
            assertEquals(401, Http.status(call(from, "GET", "/exapps/app_api/info", null, "harp-shared-key: guess" + i)));
        }
        String banned = call(from, "GET", "/exapps/app_api/info", null);
        assertEquals(429, Http.status(banned), banned);
        assertEquals(429, Http.status(call(from, "GET", "/exapps/moved/x", null)), "the ban covers every path");
        String keyHolder = call(from, "GET", "/exapps/app_api/info", null, "harp-shared-key: " + KEY);
        assertEquals(200, Http.status(keyHolder), "a caller holding the shared key is never banned");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"GET, /nope, 404", "GET, /, 404", "GET, /exapp_storage/app, 405", "PUT, /exapp_storage/app, 405",
            "POST, /info, 405", "DELETE, /heartbeat, 405", "POST, /frp_handler, 404"})
    void unknownPathsAndMethods(String method, String path, int status) {
        String res = control(method, path, method.equals("GET") || method.equals("DELETE") ? null : "{}");
        assertEquals(status, Http.status(res), res);
        if (status == 405) {
            assertTrue(Http.headerLines(res).stream().anyMatch(l -> l.startsWith("Allow: ")), res);
        }
    }

    @Test
    void kubernetesIsNotImplemented() {
        String res = call("127.0.0.1", "POST", "/exapps/app_api/k8s/exapp/expose", "{}",
                "harp-shared-key: " + KEY, "docker-engine-port: 24000");
        assertEquals(501, Http.status(res), res);
        assertTrue(Http.body(res).contains("Kubernetes"), res);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"POST, /docker/exapp/create", "POST, /docker/exapp/exists", "GET, /v1.44/_ping",
            "POST, /v1.44/images/create?fromImage=x"})
    void dockerCallsWithoutAnEngineAre503(String method, String path) {
        String res = call("127.0.0.1", method, "/exapps/app_api" + path,
                method.equals("POST") ? "{\"name\":\"app\",\"image_id\":\"img\"}" : null,
                "harp-shared-key: " + KEY, "docker-engine-port: 24000");
        assertEquals(503, Http.status(res), res);
        assertEquals("Could not connect to Docker Engine on port 24000\n", Http.body(res));
    }

    private static String b64(String s) {
        return java.util.Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
