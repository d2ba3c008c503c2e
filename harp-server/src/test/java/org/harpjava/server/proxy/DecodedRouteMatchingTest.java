package org.harpjava.server.proxy;

import org.harpjava.server.HarpServer;
import org.harpjava.server.testing.FakeNextcloud;
import org.harpjava.server.testing.Harp;
import org.harpjava.server.testing.Http;
import org.harpjava.server.testing.RawExApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Routes and the lifecycle check see the canonical form of a path (decoded once, {@code ;} parameters cut,
 * empty and {@code .} segments dropped, {@code ..} resolved), while the ExApp still receives the raw target:
 * an encoded or padded spelling cannot dodge the route that guards a path, and traversal above the app's root is
 * refused in every spelling.
 */
class DecodedRouteMatchingTest {
    private static final String KEY = "decoded-shared-key";

    private static RawExApp exapp;
    private static FakeNextcloud nextcloud;
    private static HarpServer harp;

    @BeforeAll
    static void start() throws Exception {
        exapp = new RawExApp();
        nextcloud = new FakeNextcloud(KEY)
                .app("dec", "dec-secret", exapp.port(), """
                        [{"url":"^/admin","access_level":2},
                         {"url":"^/user","access_level":1},
                         {"url":"^/public","access_level":0},
                         {"url":"^/","access_level":0}]""")
                .session("alice-session", "alice", 1)
                .session("root-session", "root", 2);
        Map<String, String> env = Harp.nextcloud(nextcloud, KEY);
        env.put("HP_BLACKLIST_COUNT", "0");
        harp = Harp.start(env);
    }

    @AfterAll
    static void stop() throws Exception {
        harp.stop();
        nextcloud.close();
        exapp.close();
    }

    @BeforeEach
    void reset() {
        exapp.clear();
    }

    private static String get(String target, String... headerLines) {
        StringBuilder req = new StringBuilder("GET /exapps/dec" + target + " HTTP/1.1\r\nHost: cloud.example\r\n");
        for (String h : headerLines) {
            req.append(h).append("\r\n");
        }
        return Http.exchange(harp.port(), req.append("Connection: close\r\n\r\n").toString());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/admin", "/%61dmin", "/%61%64%6D%69%6e/panel", "//admin", "/./admin", "/.//./admin",
            "/;x=1/admin", "/.;/admin", "/%2e/admin", "/public/..;/admin", "/x/%2e%2e;/admin", "/%2fadmin",
            "/%2F%2Fadmin/"})
    void adminRouteCannotBeDodged(String target) {
        String anonymous = get(target);
        assertEquals(403, Http.status(anonymous), anonymous);
        String user = get(target, "Cookie: oc_sessionPassphrase=alice-session");
        assertEquals(403, Http.status(user), user);
        assertTrue(exapp.idle(), "a refused request must not reach the ExApp");

        String admin = get(target, "Cookie: oc_sessionPassphrase=root-session");
        assertEquals(200, Http.status(admin), admin);
        assertEquals(target, exapp.next().target(), "the ExApp receives the target as the client sent it");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/%75ser", "//user/x", "/./user", "/user;a=b", "/public/..;/user"})
    void userRouteCannotBeDodged(String target) {
        assertEquals(403, Http.status(get(target)));
        String alice = get(target, "Cookie: oc_sessionPassphrase=alice-session");
        assertEquals(200, Http.status(alice), alice);
        assertEquals(target, exapp.next().target());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/heartbeat", "/init", "/enabled?enabled=1", "/./heartbeat", "//heartbeat", "/heartbeat/",
            "/%68eartbeat", "/heartbeat;x=1", "/public/..;/heartbeat", "/%2e/init", "/.%2finit", "/%2Fenabled",
            "/x/..;/enabled?enabled=0"})
    void lifecycleEndpointsRefuseUnsignedCallsInEverySpelling(String target) {
        int plain = Http.status(get("/heartbeat"));
        String res = get(target);
        assertEquals(plain, Http.status(res), res);
        assertEquals(403, Http.status(res), res);
        assertTrue(exapp.idle(), "an unsigned lifecycle call must not reach the ExApp");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/..", "/../x", "/%2e%2e/x", "/%2E%2e%2Fx", "/.%2e/x", "/%2e./x", "/a/..%2f..%2fx",
            "/%252e%252e/x", "/..;/x", "/a/..;/..;/x", "/%2e%2e;/x", "/a/%5c..%5cx"})
    void traversalIsRefusedInEverySpelling(String target) {
        String res = get(target);
        assertEquals(400, Http.status(res), res);
        assertTrue(Http.body(res).contains("traversal"), res);
        assertTrue(exapp.idle(), "a traversal must not reach the ExApp");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/public/a%20b", "/public/", "/.well-known/x", "/public/..foo/x", "/public/a..b",
            "/public/%2e%2efoo", "/files/report;v=2.pdf"})
    void harmlessSpellingsStillPass(String target) {
        String res = get(target);
        assertEquals(200, Http.status(res), res);
        assertEquals(target, exapp.next().target());
    }
}
