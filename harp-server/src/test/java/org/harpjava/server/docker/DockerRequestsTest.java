package org.harpjava.server.docker;

import org.harpjava.server.HarpServer;
import org.harpjava.server.config.ConfigException;
import org.harpjava.server.config.ConfigLoader;
import org.harpjava.server.config.HarpConfig;
import org.harpjava.server.testing.FakeDockerEngine;
import org.harpjava.server.testing.Harp;
import org.harpjava.server.testing.Http;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Docker calls without a real daemon: header and payload validation, engines declared in the YAML file and
 * reached over TCP, API version negotiation with an older engine, chunked answers, and timeouts. The engines are
 * small fake HTTP servers.
 */
class DockerRequestsTest {
    private static final String KEY = "docker-requests-key";

    private static FakeDockerEngine old;
    private static FakeDockerEngine silent;
    private static HarpServer harp;

    /** An engine that speaks API 1.40 and answers a few paths, or (when silent) never answers. */
    private static FakeDockerEngine engine(boolean answer) throws IOException {
        return new FakeDockerEngine(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), "1.40", "some/image:2",
                answer, true);
    }

    @BeforeAll
    static void start(@TempDir Path dir) throws IOException {
        old = engine(true);
        silent = engine(false);
        Path yaml = dir.resolve("harp.yaml");
        Files.writeString(yaml, "harp:\n  docker-engines:\n    - port: 24001\n      address: 127.0.0.1:" + old.port()
                + "\n    - port: 24002\n      address: 127.0.0.1:" + silent.port() + "\n");
        harp = Harp.start(Map.of("HP_SHARED_KEY", KEY, "NC_INSTANCE_URL", "http://127.0.0.1:9",
                "HP_TIMEOUT_SERVER", "1s"), yaml);
    }

    @AfterAll
    static void stop() throws IOException {
        harp.stop();
        old.close();
        silent.close();
    }

    private static HttpResponse<String> send(String method, String path, String body, String... headers) {
        HttpRequest.Builder b = Http.request(harp.port(), "/exapps/app_api" + path, headers);
        b.header("harp-shared-key", KEY);
        return Http.send(b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static HttpResponse<String> op(String op, String body) {
        return send("POST", "/docker/exapp/" + op, body, "docker-engine-port", "24001");
    }

    @Test
    void anOlderEngineGetsItsOwnVersionAskedOnce() {
        old.requests().clear();
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> ping = send("GET", "/v1.44/_ping", null, "docker-engine-port", "24001");
            assertEquals(200, ping.statusCode(), ping.body());
            assertEquals("OK", ping.body(), "the chunked answer is passed on whole");
        }
        assertEquals("{\"exists\":true,\"image_ref\":\"some/image:2\"}", op("exists", "{\"name\":\"known\"}").body());
        assertEquals("{\"exists\":false}", op("exists", "{\"name\":\"unknown\"}").body());
        assertTrue(old.requests().stream().filter(r -> r.startsWith("GET /version ")).count() <= 1, old.requests().toString());
        assertTrue(old.requests().contains("GET /v1.40/_ping HTTP/1.1"), old.requests().toString());
        assertTrue(old.requests().contains("GET /v1.40/containers/nc_app_known/json HTTP/1.1"), old.requests().toString());
    }

    @Test
    void aSilentEngineTimesOut() {
        long start = System.nanoTime();
        HttpResponse<String> res = send("GET", "/_ping", null, "docker-engine-port", "24002");
        assertEquals(504, res.statusCode(), res.body());
        assertEquals("Timed out waiting for Docker Engine on port 24002\n", res.body());
        assertTrue(System.nanoTime() - start < 10_000_000_000L);
    }

    @ParameterizedTest(name = "docker-engine-port: \"{0}\"")
    @ValueSource(strings = {"abc", "0", "70000", "-1", ""})
    void aBadEnginePortIsRefused(String port) {
        HttpResponse<String> res = send("POST", "/docker/exapp/exists", "{\"name\":\"a\"}", "docker-engine-port", port);
        assertEquals(400, res.statusCode(), res.body());
        assertTrue(res.body().contains("docker-engine-port"), res.body());
    }

    @Test
    void operationsNeedTheEnginePortAndAnUnknownOneIsUnreachable() {
        HttpResponse<String> missing = send("POST", "/docker/exapp/exists", "{\"name\":\"a\"}");
        assertEquals(400, missing.statusCode());
        assertEquals("Bad Request: the docker-engine-port header is required\n", missing.body());
        HttpResponse<String> unknown = send("POST", "/docker/exapp/exists", "{\"name\":\"a\"}", "docker-engine-port", "24050");
        assertEquals(503, unknown.statusCode());
        assertTrue(unknown.body().startsWith("Could not connect to Docker Engine on port 24050"), unknown.body());
    }

    @Test
    void unknownOperationsAndMethods() {
        assertEquals(404, op("explode", "{}").statusCode());
        HttpResponse<String> get = send("GET", "/docker/exapp/exists", null, "docker-engine-port", "24001");
        assertEquals(405, get.statusCode());
        assertEquals(Optional.of("POST"), get.headers().firstValue("Allow"));
    }

    @ParameterizedTest(name = "{0} {2}")
    @CsvSource(delimiter = '|', value = {
            "exists | {}                                                  | name",
            "exists | {\"name\":\"../x\"}                                 | name",
            "exists | {\"name\":\"a/b\"}                                  | name",
            "exists | {\"name\":5}                                        | name",
            "exists | {\"name\":\"a\",\"instance_id\":\"x/y\"}            | instance_id",
            "start  | {\"name\":\"a b\"}                                  | name",
            "stop   | {\"name\":\"\"}                                     | name",
            "wait_for_start | {\"name\":\"a?b\"}                          | name",
            "remove | {\"name\":\"a\",\"remove_data\":\"yes\"}            | remove_data",
            "image_remove | {}                                            | image_ref",
            "image_remove | {\"image_ref\":\"a/../b\"}                     | image_ref",
            "image_remove | {\"image_ref\":\"a?force=1\"}                  | image_ref",
            "create | {\"name\":\"a\"}                                    | image_id",
            "create | {\"name\":\"a\",\"image_id\":\"x y\"}               | image_id",
            "create | {\"name\":\"a\",\"image_id\":\"i\",\"network_mode\":\"a/b\"} | network_mode",
            "create | {\"name\":\"a\",\"image_id\":\"i\",\"restart_policy\":\"sometimes\"} | restart_policy",
            "create | {\"name\":\"a\",\"image_id\":\"i\",\"compute_device\":\"tpu\"} | compute_device",
            "create | {\"name\":\"a\",\"image_id\":\"i\",\"environment_variables\":[\"NOVALUE\"]} | environment_variables[0]",
            "create | {\"name\":\"a\",\"image_id\":\"i\",\"environment_variables\":\"A=1\"} | environment_variables",
            "create | {\"name\":\"a\",\"image_id\":\"i\",\"mount_points\":[{\"source\":\"/a\",\"target\":\"rel\"}]} | mount_points[0].target",
            "create | {\"name\":\"a\",\"image_id\":\"i\",\"mount_points\":[{\"source\":\"/a\",\"target\":\"/b\",\"mode\":\"rwx\"}]} | mount_points[0].mode",
            "create | {\"name\":\"a\",\"image_id\":\"i\",\"mount_points\":[{\"target\":\"/b\"}]} | mount_points[0].source",
            "create | {\"name\":\"a\",\"image_id\":\"i\",\"resource_limits\":{\"memory\":-1}} | resource_limits.memory",
            "create | {\"name\":\"a\",\"image_id\":\"i\",\"resource_limits\":{\"nanoCPUs\":1.5}} | resource_limits.nanoCPUs",
            "install_certificates | {\"name\":\"a\",\"install_frp_certs\":1} | install_frp_certs",
    })
    void invalidPayloadsNameTheField(String op, String body, String field) {
        int before = old.requests().size();
        HttpResponse<String> res = op(op.strip(), body.strip());
        assertEquals(400, res.statusCode(), res.body());
        assertTrue(res.body().startsWith("Payload validation error: " + field + ":"), res.body());
        assertEquals(before, old.requests().size(), "nothing reached the engine");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "{", "[1]x", "not json"})
    void malformedJsonIsRefused(String body) {
        HttpResponse<String> res = op("exists", body);
        assertEquals(400, res.statusCode());
        assertEquals("Invalid JSON body\n", res.body());
    }

    @Test
    void enginesAreConfigured(@TempDir Path dir) throws IOException {
        HarpConfig defaults = ConfigLoader.load(Map.of("HP_SHARED_KEY", "k", "NC_INSTANCE_URL", "http://nc"), Optional.empty());
        assertEquals(Map.of(24000, new EngineAddress.Unix(Path.of("/var/run/docker.sock"))), defaults.dockerEngines());
        HarpConfig off = ConfigLoader.load(Map.of("HP_SHARED_KEY", "k", "NC_INSTANCE_URL", "http://nc",
                "HP_DOCKER_SOCKET", "off"), Optional.empty());
        assertEquals(Map.of(), off.dockerEngines());

        Path yaml = dir.resolve("engines.yaml");
        Files.writeString(yaml, "harp:\n  docker-socket: /run/other.sock\n  docker-engines:\n"
                + "    - port: 24001\n      socket: /run/remote.sock\n    - port: 24002\n      address: \"[::1]:2375\"\n");
        HarpConfig both = ConfigLoader.load(Map.of("HP_SHARED_KEY", "k", "NC_INSTANCE_URL", "http://nc"), Optional.of(yaml));
        assertEquals(Map.of(24000, new EngineAddress.Unix(Path.of("/run/other.sock")),
                24001, new EngineAddress.Unix(Path.of("/run/remote.sock")),
                24002, new EngineAddress.Tcp("::1", 2375)), both.dockerEngines());

        for (String bad : List.of("    - port: 0\n      socket: /a\n", "    - port: 24001\n",
                "    - port: 24001\n      socket: /a\n      address: h:1\n",
                "    - port: 24001\n      socket: /a\n    - port: 24001\n      socket: /b\n",
                "    - port: 24000\n      socket: /a\n")) {
            Files.writeString(yaml, "harp:\n  docker-socket: /run/docker.sock\n  docker-engines:\n" + bad);
            ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(
                    Map.of("HP_SHARED_KEY", "k", "NC_INSTANCE_URL", "http://nc"), Optional.of(yaml)), bad);
            assertTrue(e.getMessage().startsWith("harp.docker-engines[") && e.getMessage().length() < 200, e.getMessage());
        }
    }
}
