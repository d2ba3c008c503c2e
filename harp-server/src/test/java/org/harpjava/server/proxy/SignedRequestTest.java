package org.harpjava.server.proxy;

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

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Requests AppAPI itself sends through the proxy: with the six signature headers and the right
 * {@code harp-shared-key} they reach the lifecycle endpoints and any other path without route checks, keep the
 * {@code AUTHORIZATION-APP-API} AppAPI computed, and fall back to {@code ex-app-host}/{@code ex-app-port} while
 * Nextcloud does not serve the app's metadata yet. Unsigned or wrongly signed calls are refused, and a wrong key
 * counts towards a ban. Each test sends from its own loopback address, so bans stay apart.
 */
class SignedRequestTest {
    private static final String KEY = "signed-shared-key";
    private static final String SECRET = "signed-app-secret";
    private static final InetAddress HARP_ADDRESS = InetAddress.getLoopbackAddress();

    private static RawExApp known;
    private static RawExApp deploying;
    private static FakeNextcloud nextcloud;
    private static HarpServer harp;

    @BeforeAll
    static void start() throws Exception {
        known = new RawExApp();
        deploying = new RawExApp();
        nextcloud = new FakeNextcloud(KEY)
                .app("known", SECRET, known.port(), "[{\"url\":\"^/public\",\"access_level\":0}]");
        Map<String, String> env = Harp.nextcloud(nextcloud, KEY);
        env.put("HP_BLACKLIST_COUNT", "3");
        harp = Harp.start(env);
    }

    @AfterAll
    static void stop() throws Exception {
        harp.stop();
        nextcloud.close();
        known.close();
        deploying.close();
    }

    @BeforeEach
    void reset() {
        known.clear();
        deploying.clear();
    }

    /** The headers AppAPI sends: the six of the signature, {@code AA-VERSION} and {@code AA-REQUEST-ID}. */
    private static String signature(String appId, String key, int exAppPort, String user) {
        return "EX-APP-ID: " + appId + "\r\n"
                + "EX-APP-VERSION: 2.0.0\r\n"
                + "ex-app-host: 127.0.0.1\r\n"
                + "ex-app-port: " + exAppPort + "\r\n"
                + "AUTHORIZATION-APP-API: " + b64(user + ":" + SECRET) + "\r\n"
                + "harp-shared-key: " + key + "\r\n"
                + "AA-VERSION: 4.1.0\r\n"
                + "AA-REQUEST-ID: req-42\r\n";
    }

    private static String send(String from, String method, String target, String headers) {
        String request = method + " " + target + " HTTP/1.1\r\nHost: cloud.example\r\n" + headers
                + (method.equals("GET") ? "" : "Content-Length: 0\r\n") + "Connection: close\r\n\r\n";
        return Http.exchange(address(from), HARP_ADDRESS, harp.port(), request);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"GET, /heartbeat", "POST, /init", "PUT, /enabled?enabled=1", "PUT, /enabled?enabled=0",
            "POST, /trigger?providerId=x", "GET, /no/route/declared"})
    void signedCallsPassWithoutRouteChecks(String method, String target) {
        String res = send("127.0.0.1", method, "/exapps/known" + target, signature("known", KEY, deploying.port(), ""));
        assertEquals(200, Http.status(res), res);
        RawExApp.Received up = known.next();
        assertEquals(method + " " + target + " HTTP/1.1", up.requestLine());
        assertEquals(List.of(b64(":" + SECRET)), up.headers("AUTHORIZATION-APP-API"));
        assertEquals(List.of("known"), up.headers("EX-APP-ID"));
        assertEquals(List.of("2.0.0"), up.headers("EX-APP-VERSION"));
        assertEquals(List.of("4.1.0"), up.headers("AA-VERSION"));
        assertEquals(List.of("req-42"), up.headers("AA-REQUEST-ID"));
        assertEquals(List.of(), up.headers("harp-shared-key"), "the shared key never reaches an ExApp");
        assertTrue(deploying.idle(), "Nextcloud's metadata wins over ex-app-host/ex-app-port");
    }

    @Test
    void signedAuthorizationIsKeptVerbatim() {
        String res = send("127.0.0.1", "GET", "/exapps/known/api/files", signature("known", KEY, known.port(), "admin"));
        assertEquals(200, Http.status(res), res);
        assertEquals(List.of(b64("admin:" + SECRET)), known.next().headers("AUTHORIZATION-APP-API"));
    }

    @Test
    void appUnknownToNextcloudIsReachedThroughExAppHostAndPort() {
        String res = send("127.0.0.1", "GET", "/exapps/deploying/heartbeat",
                signature("deploying", KEY, deploying.port(), ""));
        assertEquals(200, Http.status(res), res);
        RawExApp.Received up = deploying.next();
        assertEquals("/heartbeat", up.target());
        assertEquals(List.of(b64(":" + SECRET)), up.headers("AUTHORIZATION-APP-API"));
        assertEquals(List.of("deploying"), up.headers("EX-APP-ID"));
    }

    @Test
    void appUnknownToNextcloudWithoutUsablePortIsNotFound() {
        String headers = signature("deploying", KEY, 0, "").replace("ex-app-port: 0", "ex-app-port: not-a-port");
        String res = send("127.0.0.1", "GET", "/exapps/deploying/heartbeat", headers);
        assertEquals(404, Http.status(res), res);
        assertTrue(deploying.idle());
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource({"127.0.0.15, /heartbeat", "127.0.0.16, /init", "127.0.0.17, /enabled?enabled=1"})
    void unsignedLifecycleCallsAreRefused(String from, String target) {
        String res = send(from, "GET", "/exapps/known" + target, "");
        assertEquals(403, Http.status(res), res);
        assertTrue(known.idle());
    }

    @Test
    void incompleteSignatureIsNoSignature() {
        String headers = signature("known", KEY, known.port(), "").replace("ex-app-host: 127.0.0.1\r\n", "");
        String res = send("127.0.0.11", "GET", "/exapps/known/heartbeat", headers);
        assertEquals(403, Http.status(res), res);
        assertTrue(known.idle());
    }

    @Test
    void wrongKeyIsRefusedAndCountsTowardsABan() {
        String from = "127.0.0.12";
        String wrong = signature("known", "not-the-key", known.port(), "");
        for (int i = 0; i < 3; i++) {
            String res = send(from, "GET", "/exapps/known/heartbeat", wrong);
            assertEquals(401, Http.status(res), res);
        }
        assertTrue(known.idle(), "a wrongly signed call must not reach the ExApp");
        String banned = send(from, "GET", "/exapps/known/public", "");
        assertEquals(429, Http.status(banned), banned);
        String other = send("127.0.0.13", "GET", "/exapps/known/public", "");
        assertEquals(200, Http.status(other), "only the failing address is banned");
    }

    @Test
    void appApiVersionSeenOnSignedCallsIsSentOnOthers() {
        send("127.0.0.1", "GET", "/exapps/known/heartbeat",
                signature("known", KEY, known.port(), "").replace("AA-VERSION: 4.1.0", "AA-VERSION: 5.0.1"));
        known.next();
        String res = send("127.0.0.14", "GET", "/exapps/known/public", "");
        assertEquals(200, Http.status(res), res);
        assertEquals(List.of("5.0.1"), known.next().headers("AA-VERSION"));
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
