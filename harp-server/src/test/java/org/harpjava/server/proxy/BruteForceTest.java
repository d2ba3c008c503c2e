package org.harpjava.server.proxy;

import org.harpjava.server.HarpServer;
import org.harpjava.server.testing.FakeNextcloud;
import org.harpjava.server.testing.Harp;
import org.harpjava.server.testing.Http;
import org.harpjava.server.testing.RawExApp;
import org.harpjava.server.testing.TestExApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Brute-force protection: {@code HP_BLACKLIST_COUNT} failures within {@code HP_BLACKLIST_WINDOW} ban the client
 * address on every path; failures are what HaRP counts (bad keys, traversal, unknown apps and routes, refused
 * access, unsigned lifecycle calls, and ExApp answers listed in the route's {@code bruteforce_protection}); the
 * client address comes from {@code X-Forwarded-For} or {@code X-Real-IP} only when the peer is a trusted proxy;
 * callers holding the shared key are never banned. Every test sends from its own loopback addresses.
 */
class BruteForceTest {
    private static final String KEY = "bruteforce-shared-key";
    private static final String TRUSTED = "127.0.0.0/30, ::/127";
    private static final InetAddress V4 = address("127.0.0.1");
    private static final InetAddress V6 = address("::1");

    private static TestExApp exapp;
    private static RawExApp unauthorized;
    private static FakeNextcloud nextcloud;
    private static HarpServer harp;
    private static HarpServer harpV6;

    @BeforeAll
    static void start() throws Exception {
        exapp = new TestExApp();
        unauthorized = new RawExApp();
        unauthorized.respond("HTTP/1.1 401 Unauthorized\r\nContent-Length: 4\r\n\r\nnope");
        nextcloud = new FakeNextcloud(KEY)
                .app("bf", "bf-secret", exapp.port(), """
                        [{"url":"^/status/","access_level":0,"bruteforce_protection":[401,403]},
                         {"url":"^/admin","access_level":2},
                         {"url":"^/open","access_level":0}]""")
                .app("plain", "plain-secret", unauthorized.port(), "[{\"url\":\"^/\",\"access_level\":0}]");
        Map<String, String> env = Harp.nextcloud(nextcloud, KEY);
        env.put("HP_BLACKLIST_COUNT", "3");
        env.put("HP_BLACKLIST_WINDOW", "300");
        env.put("HP_TRUSTED_PROXY_IPS", TRUSTED);
        harp = Harp.start(env);
        env.put("HP_EXAPPS_ADDRESS", "[::1]:0");
        env.put("HP_MANAGEMENT_ADDRESS", "[::1]:0");
        harpV6 = Harp.start(env);
    }

    @AfterAll
    static void stop() {
        harp.stop();
        harpV6.stop();
        nextcloud.close();
        exapp.close();
        try {
            unauthorized.close();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String get(String from, String target, String... headerLines) {
        InetAddress source = address(from);
        boolean v6 = source.getAddress().length == 16;
        StringBuilder req = new StringBuilder("GET " + target + " HTTP/1.1\r\nHost: cloud.example\r\n");
        for (String h : headerLines) {
            req.append(h).append("\r\n");
        }
        return Http.exchange(source, v6 ? V6 : V4, v6 ? harpV6.port() : harp.port(),
                req.append("Connection: close\r\n\r\n").toString());
    }

    private static int status(String from, String target, String... headerLines) {
        return Http.status(get(from, target, headerLines));
    }

    private static void assertBanned(String from, String... headerLines) {
        String res = get(from, "/exapps/bf/open", headerLines);
        assertEquals(429, Http.status(res), res);
        assertTrue(Http.headerLines(res).stream().anyMatch(l -> l.matches("Retry-After: [1-9][0-9]*")), res);
    }

    private static void assertNotBanned(String from, String... headerLines) {
        String res = get(from, "/exapps/bf/open", headerLines);
        assertEquals(200, Http.status(res), res);
    }

    @ParameterizedTest(name = "{1}: {2} -> {3}")
    @CsvSource({
            "127.0.0.20, unknown app, /exapps/nope/x, 404",
            "127.0.0.21, no route, /exapps/bf/undeclared, 404",
            "127.0.0.22, refused access, /exapps/bf/admin, 403",
            "127.0.0.23, traversal, /exapps/bf/%2e%2e/x, 400",
            "127.0.0.24, no app id, /elsewhere, 404",
            "127.0.0.25, invalid app id, /exapps/b@d/x, 404",
            "127.0.0.26, unsigned lifecycle call, /exapps/bf/heartbeat, 403",
            "127.0.0.27, ExApp answer in bruteforce_protection, /exapps/bf/status/401, 401",
            "127.0.0.28, another listed ExApp answer, /exapps/bf/status/403, 403",
            "127.0.0.29, control API without key, /exapps/app_api/info, 401"})
    void failuresLeadToABan(String from, String kind, String target, int status) {
        for (int i = 0; i < 3; i++) {
            assertNotBanned(from);
            assertEquals(status, status(from, target), kind);
        }
        assertBanned(from);
        assertEquals(429, status(from, "/exapps/app_api/info"), "the ban covers every path");
        assertEquals(429, status(from, "/elsewhere"), "the ban covers every path");
        assertNotBanned("127.0.0.19");
    }

    @Test
    void listedExAppAnswerPassesUnchanged() {
        String res = get("127.0.0.30", "/exapps/bf/status/401");
        assertEquals(401, Http.status(res), res);
        assertEquals("status 401", Http.body(res));
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource({
            "127.0.0.31, ExApp answer not listed on the route, /exapps/bf/status/500, 500",
            "127.0.0.32, ExApp 401 on a route without bruteforce_protection, /exapps/plain/login, 401",
            "127.0.0.33, success, /exapps/bf/open, 200"})
    void otherAnswersAreNoFailures(String from, String kind, String target, int status) {
        for (int i = 0; i < 6; i++) {
            assertEquals(status, status(from, target), kind);
        }
        assertNotBanned(from);
    }

    @Test
    void shareKeyHoldersAreNeitherCountedNorBanned() {
        String key = "harp-shared-key: " + KEY;
        for (int i = 0; i < 5; i++) {
            assertEquals(404, status("127.0.0.34", "/exapps/nope/x", key));
        }
        assertNotBanned("127.0.0.34");

        for (int i = 0; i < 3; i++) {
            assertEquals(404, status("127.0.0.35", "/exapps/nope/x"));
        }
        assertBanned("127.0.0.35");
        assertNotBanned("127.0.0.35", key);
    }

    @Test
    void forwardedForIsBelievedFromATrustedProxy() {
        for (int i = 0; i < 3; i++) {
            assertEquals(404, status("127.0.0.2", "/exapps/nope/x", "X-Forwarded-For: 203.0.113.5"));
        }
        assertBanned("127.0.0.2", "X-Forwarded-For: 203.0.113.5");
        assertNotBanned("127.0.0.2", "X-Forwarded-For: 203.0.113.6");
        assertNotBanned("127.0.0.2");
    }

    @Test
    void forwardedForIsReadFromTheRightSkippingTrustedProxies() {
        String chain = "X-Forwarded-For: 192.0.2.99, 203.0.113.30, 127.0.0.1";
        for (int i = 0; i < 3; i++) {
            assertEquals(404, status("127.0.0.2", "/exapps/nope/x", chain));
        }
        assertBanned("127.0.0.2", "X-Forwarded-For: 203.0.113.30");
        assertNotBanned("127.0.0.2", "X-Forwarded-For: 192.0.2.99");
    }

    @Test
    void realIpIsBelievedFromATrustedProxyWithoutForwardedFor() {
        for (int i = 0; i < 3; i++) {
            assertEquals(404, status("127.0.0.3", "/exapps/nope/x", "X-Real-IP: 203.0.113.20"));
        }
        assertBanned("127.0.0.3", "X-Real-IP: 203.0.113.20");
        assertNotBanned("127.0.0.3", "X-Real-IP: 203.0.113.21");
        assertNotBanned("127.0.0.3");
    }

    @Test
    void forwardingHeadersOfAnUntrustedPeerAreIgnored() {
        for (int i = 0; i < 3; i++) {
            assertEquals(404, status("127.0.0.36", "/exapps/nope/x",
                    "X-Forwarded-For: 198.51.100." + i, "X-Real-IP: 198.51.100.50"));
        }
        assertBanned("127.0.0.36", "X-Forwarded-For: 198.51.100.77");
        assertNotBanned("127.0.0.2", "X-Forwarded-For: 198.51.100.0");
        assertNotBanned("127.0.0.3", "X-Real-IP: 198.51.100.50");
    }

    @Test
    void ipv6TrustedProxyAndClients() {
        for (int i = 0; i < 3; i++) {
            assertEquals(404, status("::1", "/exapps/nope/x", "X-Forwarded-For: 2001:db8::7"));
        }
        assertBanned("::1", "X-Forwarded-For: 2001:db8::7");
        assertBanned("::1", "X-Forwarded-For: [2001:db8:0:0::7]");
        assertNotBanned("::1", "X-Forwarded-For: 2001:db8::8");
        assertNotBanned("::1");
    }

    @Test
    void banLiftsOnceFailuresLeaveTheWindow() throws Exception {
        Map<String, String> env = Harp.nextcloud(nextcloud, KEY);
        env.put("HP_BLACKLIST_COUNT", "2");
        env.put("HP_BLACKLIST_WINDOW", "2");
        HarpServer shortWindow = Harp.start(env);
        try {
            InetAddress from = address("127.0.0.40");
            java.util.function.Function<String, Integer> get = target -> Http.status(Http.exchange(from, V4,
                    shortWindow.port(), "GET " + target + " HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n"));
            assertEquals(404, get.apply("/exapps/nope/x"));
            Thread.sleep(2300);
            assertEquals(404, get.apply("/exapps/nope/x"));
            assertEquals(200, get.apply("/exapps/bf/open"), "the first failure has left the window");
            assertEquals(404, get.apply("/exapps/nope/x"));
            assertEquals(429, get.apply("/exapps/bf/open"), "two failures within the window");
            Thread.sleep(2300);
            assertEquals(200, get.apply("/exapps/bf/open"), "the ban lifts with the window");
        } finally {
            shortWindow.stop();
        }
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
