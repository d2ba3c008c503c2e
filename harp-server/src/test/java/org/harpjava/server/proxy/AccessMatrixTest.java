package org.harpjava.server.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.harpjava.server.HarpServer;
import org.harpjava.server.testing.FakeNextcloud;
import org.harpjava.server.testing.Harp;
import org.harpjava.server.testing.Http;
import org.harpjava.server.testing.TestExApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The access matrix HaRP's own CI checks (public, user and admin routes against anonymous, user and admin
 * callers, unknown paths and apps), through a real harp-server, a fake Nextcloud and a real ExApp.
 */
class AccessMatrixTest {
    private static final String KEY = "matrix-shared-key";
    private static final String SECRET = "app-secret-123";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static FakeNextcloud nextcloud;
    private static TestExApp exapp;
    private static HarpServer harp;

    @BeforeAll
    static void start() throws Exception {
        exapp = new TestExApp();
        nextcloud = new FakeNextcloud(KEY)
                .app("skeleton", SECRET, exapp.port(), """
                        [{"url":"^/public","access_level":0,"bruteforce_protection":[]},
                         {"url":"^/admin","access_level":2,"bruteforce_protection":[]},
                         {"url":"^/echo","access_level":1,"bruteforce_protection":[]},
                         {"url":"^/user","access_level":1,"bruteforce_protection":[]}]""")
                .session("alice-session", "alice", 1)
                .session("root-session", "root", 2)
                .password("alice", "app-password", 1);
        Map<String, String> env = Harp.nextcloud(nextcloud, KEY);
        env.put("HP_BLACKLIST_COUNT", "0");
        harp = Harp.start(env);
    }

    @AfterAll
    static void stop() {
        harp.stop();
        nextcloud.close();
        exapp.close();
    }

    private static String[] as(String who) {
        return switch (who) {
            case "anonymous" -> new String[0];
            case "user" -> new String[] {"Cookie", "oc_sessionPassphrase=alice-session"};
            case "admin" -> new String[] {"Cookie", "oc_sessionPassphrase=root-session"};
            case "basic" -> new String[] {"Authorization", "Basic " + b64("alice:app-password")};
            default -> throw new IllegalArgumentException(who);
        };
    }

    @ParameterizedTest(name = "{0} as {1} -> {2}")
    @CsvSource({
            "/public/page, anonymous, 200", "/public/page, user, 200", "/public/page, admin, 200",
            "/user, anonymous, 403", "/user, user, 200", "/user, admin, 200", "/user, basic, 200",
            "/admin, anonymous, 403", "/admin, user, 403", "/admin, admin, 200",
            "/unknown, anonymous, 404", "/unknown, admin, 404"})
    void accessMatrix(String path, String who, int expected) {
        HttpResponse<String> res = Http.get(harp.port(), "/exapps/skeleton" + path, as(who));
        assertEquals(expected, res.statusCode(), res.body());
        if (expected == 200) {
            assertEquals("ok from " + path, res.body());
        }
    }

    @Test
    void unknownAppIsNotFound() {
        HttpResponse<String> res = Http.get(harp.port(), "/exapps/no-such-app/public", as("admin"));
        assertEquals(404, res.statusCode());
        assertTrue(res.body().startsWith("Not Found"), res.body());
    }

    @Test
    void signsTheResolvedUserForTheExApp() throws Exception {
        JsonNode echo = JSON.readTree(Http.get(harp.port(), "/exapps/skeleton/echo?x=1&y=%20z", as("user")).body());
        JsonNode headers = echo.get("headers");
        assertEquals("/echo", echo.get("path").asText());
        assertEquals("x=1&y=%20z", echo.get("query").asText());
        assertEquals(b64("alice:" + SECRET), headers.get("authorization-app-api").get(0).asText());
        assertEquals("skeleton", headers.get("ex-app-id").get(0).asText());
        assertEquals("1.2.3", headers.get("ex-app-version").get(0).asText());
        assertTrue(headers.has("aa-version"));
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
