package org.harpjava.server.nextcloud;

import org.harpjava.server.HarpServer;
import org.harpjava.server.testing.FakeNextcloud;
import org.harpjava.server.testing.Harp;
import org.harpjava.server.testing.Http;
import org.harpjava.server.testing.TestExApp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How the proxy uses Nextcloud's {@code harp/exapp-meta} and {@code harp/user-info}: what it caches and for how
 * long, what it sends, and what the client sees when Nextcloud is down, slow, or answers nonsense.
 */
class NextcloudBehaviourTest {
    private static final String KEY = "nc-behaviour-key";
    private static final String ROUTES = """
            [{"url":"^/public","access_level":0},{"url":"^/user","access_level":1},{"url":"^/admin","access_level":2}]""";

    private TestExApp exapp;
    private FakeNextcloud nextcloud;
    private final List<HarpServer> servers = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        exapp = new TestExApp();
        nextcloud = new FakeNextcloud(KEY).app("app", "secret", exapp.port(), ROUTES)
                .session("alice-session", "alice", 1)
                .password("alice", "app-password", 1);
    }

    @AfterEach
    void stop() {
        servers.forEach(HarpServer::stop);
        nextcloud.close();
        exapp.close();
    }

    private HarpServer harp(String... settings) {
        Map<String, String> env = Harp.nextcloud(nextcloud, KEY);
        env.put("HP_BLACKLIST_COUNT", "0");
        for (int i = 0; i < settings.length; i += 2) {
            env.put(settings[i], settings[i + 1]);
        }
        HarpServer server = Harp.start(env);
        servers.add(server);
        return server;
    }

    private static String basic(String credentials) {
        return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    }

    /** The first value of {@code name} in headers Nextcloud received (its server capitalises names its own way). */
    private static String header(Map<String, List<String>> headers, String name) {
        return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                .map(e -> e.getValue().get(0)).findFirst().orElse(null);
    }

    @Test
    void metadataIsFetchedOnceAndThenServedFromTheCache() {
        HarpServer harp = harp();
        for (int i = 0; i < 5; i++) {
            assertEquals(200, Http.get(harp.port(), "/exapps/app/public/" + i).statusCode());
        }
        assertEquals(1, nextcloud.metaCalls());
        assertEquals(5, exapp.requests());
    }

    @Test
    void appIdsAreLookedUpInLowerCase() {
        HarpServer harp = harp();
        assertEquals(200, Http.get(harp.port(), "/exapps/APP/public").statusCode());
        assertEquals(200, Http.get(harp.port(), "/exapps/app/public").statusCode());
        assertEquals(1, nextcloud.metaCalls());
    }

    @Test
    void concurrentFirstRequestsShareOneLookup() {
        nextcloud.delay(500);
        HarpServer harp = harp();
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            calls.add(Http.client().sendAsync(Http.request(harp.port(), "/exapps/app/public/" + i).GET().build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        calls.forEach(c -> assertEquals(200, c.join().statusCode()));
        assertEquals(1, nextcloud.metaCalls(), "20 concurrent first requests, one exapp-meta call");
    }

    @Test
    void unknownAppsAreRememberedForAWhile() {
        HarpServer harp = harp();
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> res = Http.get(harp.port(), "/exapps/ghost/public");
            assertEquals(404, res.statusCode());
            assertTrue(res.body().startsWith("Not Found"), res.body());
        }
        assertEquals(1, nextcloud.metaCalls(), "the answer 'unknown' is cached");
    }

    /** HaRP remembers "unknown" for 15 s: an app registered meanwhile is served soon, without a restart. */
    @Test
    void unknownAppsAreForgottenAfterFifteenSeconds() throws Exception {
        HarpServer harp = harp();
        long start = System.nanoTime();
        assertEquals(404, Http.get(harp.port(), "/exapps/newcomer/public").statusCode());
        nextcloud.app("newcomer", "secret", exapp.port(), ROUTES);
        int status = 404;
        while (status == 404 && System.nanoTime() - start < 20_000_000_000L) {
            Thread.sleep(250);
            status = Http.get(harp.port(), "/exapps/newcomer/public").statusCode();
        }
        long seconds = (System.nanoTime() - start) / 1_000_000_000L;
        assertEquals(200, status, "served after " + seconds + " s");
        assertTrue(seconds >= 14 && seconds <= 17, "the negative answer was kept for " + seconds + " s, not 15");
        assertEquals(2, nextcloud.metaCalls());
    }

    @Test
    void metadataPushedByAppApiReplacesARememberedUnknownApp() {
        HarpServer harp = harp();
        assertEquals(404, Http.get(harp.port(), "/exapps/late/public").statusCode());
        String meta = "{\"exapp_token\":\"t\",\"exapp_version\":\"2.0.0\",\"host\":\"127.0.0.1\",\"port\":" + exapp.port()
                + ",\"routes\":[{\"url\":\"^/public\",\"access_level\":0}]}";
        HttpResponse<String> stored = Http.send(Http.request(harp.port(), "/exapps/app_api/exapp_storage/late",
                "harp-shared-key", KEY).POST(java.net.http.HttpRequest.BodyPublishers.ofString(meta)).build());
        assertEquals(204, stored.statusCode(), stored.body());
        assertEquals(200, Http.get(harp.port(), "/exapps/late/public").statusCode());
        assertEquals(1, nextcloud.metaCalls());
    }

    @Test
    void nextcloudDownIsServiceUnavailableAndNotRemembered() {
        HarpServer harp = harp();
        nextcloud.forceStatus(500);
        HttpResponse<String> res = Http.get(harp.port(), "/exapps/app/public");
        assertEquals(503, res.statusCode());
        assertTrue(res.body().startsWith("Service Unavailable") && res.body().contains("Nextcloud"), res.body());
        nextcloud.forceStatus(0);
        assertEquals(200, Http.get(harp.port(), "/exapps/app/public").statusCode(), "recovers at once");
    }

    @Test
    void unreachableNextcloudIsServiceUnavailable() {
        Map<String, String> env = Harp.nextcloud(nextcloud, KEY);
        nextcloud.close();
        HarpServer harp = Harp.start(env);
        servers.add(harp);
        HttpResponse<String> res = Http.get(harp.port(), "/exapps/app/public");
        assertEquals(503, res.statusCode());
        assertTrue(res.body().contains("Nextcloud cannot be reached"), res.body());
    }

    @Test
    void cachedMetadataKeepsServingWhileNextcloudFails() throws Exception {
        HarpServer harp = harp("HP_EXAPP_CACHE_TTL", "200ms");
        assertEquals(200, Http.get(harp.port(), "/exapps/app/public").statusCode());
        nextcloud.forceStatus(500);
        for (int i = 0; i < 3; i++) {
            Thread.sleep(300);
            assertEquals(200, Http.get(harp.port(), "/exapps/app/public").statusCode(), "stale metadata serves");
        }
        assertTrue(nextcloud.metaCalls() > 1, "a refresh was attempted");

        try (TestExApp moved = new TestExApp()) {
            nextcloud.app("app", "secret", moved.port(), ROUTES);
            nextcloud.forceStatus(0);
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (moved.requests() == 0 && System.nanoTime() < deadline) {
                assertEquals(200, Http.get(harp.port(), "/exapps/app/public").statusCode());
                Thread.sleep(50);
            }
            assertTrue(moved.requests() > 0, "the refreshed metadata is used once Nextcloud answers again");
        }
    }

    @Test
    void sessionsAreCachedForTheSessionLifetime() throws Exception {
        HarpServer harp = harp("HP_SESSION_LIFETIME", "1");
        String[] alice = {"Cookie", "oc_sessionPassphrase=alice-session"};
        assertEquals(200, Http.get(harp.port(), "/exapps/app/user", alice).statusCode());
        assertEquals(200, Http.get(harp.port(), "/exapps/app/user", alice).statusCode());
        assertEquals(1, nextcloud.userInfoCalls(), "the second request uses the cached session");

        nextcloud.session("alice-session", "alice", 2);
        assertEquals(403, Http.get(harp.port(), "/exapps/app/admin", alice).statusCode(), "still the cached user");
        Thread.sleep(1200);
        assertEquals(200, Http.get(harp.port(), "/exapps/app/admin", alice).statusCode(), "asked again after 1 s");
        assertEquals(2, nextcloud.userInfoCalls());

        assertEquals(403, Http.get(harp.port(), "/exapps/app/user", "Cookie", "oc_sessionPassphrase=other").statusCode());
        assertEquals(3, nextcloud.userInfoCalls(), "another cookie is another session");
    }

    @Test
    void basicAuthenticationIsCachedByItsCredentials() {
        HarpServer harp = harp("HP_SESSION_LIFETIME", "5");
        for (int i = 0; i < 3; i++) {
            assertEquals(200, Http.get(harp.port(), "/exapps/app/user", "Authorization", basic("alice:app-password")).statusCode());
        }
        assertEquals(1, nextcloud.userInfoCalls());
        assertEquals(403, Http.get(harp.port(), "/exapps/app/user", "Authorization", basic("alice:wrong")).statusCode());
        assertEquals(2, nextcloud.userInfoCalls(), "a wrong password is not served from the cache of the right one");
    }

    @Test
    void sessionLifetimeZeroAsksNextcloudEveryTime() {
        HarpServer harp = harp("HP_SESSION_LIFETIME", "0");
        for (int i = 0; i < 3; i++) {
            assertEquals(200, Http.get(harp.port(), "/exapps/app/user", "Cookie", "oc_sessionPassphrase=alice-session").statusCode());
        }
        assertEquals(3, nextcloud.userInfoCalls());
    }

    @Test
    void anonymousRequestsDoNotAskForTheUser() {
        HarpServer harp = harp();
        assertEquals(200, Http.get(harp.port(), "/exapps/app/public").statusCode());
        assertEquals(403, Http.get(harp.port(), "/exapps/app/user").statusCode());
        assertEquals(0, nextcloud.userInfoCalls());
    }

    @Test
    void nextcloudGetsTheSharedKeyAndTheCallersCredentials() {
        HarpServer harp = harp();
        HttpResponse<String> res = Http.send(Http.request(harp.port(), "/exapps/app/user",
                        "Cookie", "oc_sessionPassphrase=alice-session; other=1",
                        "harp-shared-key", "forged-by-client", "X-Request-Id", "r-1")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("a request body")).build());
        assertEquals(200, res.statusCode(), res.body());
        assertEquals(KEY, header(nextcloud.metaHeaders().get(0), "harp-shared-key"));
        Map<String, List<String>> userInfo = nextcloud.userInfoHeaders().get(0);
        assertEquals(KEY, header(userInfo, "harp-shared-key"), "the client cannot choose the key sent to Nextcloud");
        assertEquals("oc_sessionPassphrase=alice-session; other=1", header(userInfo, "cookie"));
        assertEquals("r-1", header(userInfo, "x-request-id"));
        String length = header(userInfo, "content-length");
        assertTrue(length == null || length.equals("0"), "the client's body length is not sent with a GET: " + length);
    }

    @Test
    void aWrongSharedKeyMakesEveryAppUnknown() {
        Map<String, String> env = Harp.nextcloud(nextcloud, "not-the-key");
        HarpServer harp = Harp.start(env);
        servers.add(harp);
        assertEquals(404, Http.get(harp.port(), "/exapps/app/public").statusCode());
    }

    @Test
    void malformedMetadataIsServiceUnavailableUntilFixed() {
        HarpServer harp = harp();
        nextcloud.app("broken", "{\"exapp_token\":\"t\",");
        nextcloud.app("shapeless", "{\"exapp_token\":\"t\",\"exapp_version\":\"1\",\"host\":\"127.0.0.1\",\"routes\":[]}");
        for (String app : new String[] {"broken", "shapeless"}) {
            HttpResponse<String> res = Http.get(harp.port(), "/exapps/" + app + "/public");
            assertEquals(503, res.statusCode(), app + ": " + res.body());
            assertTrue(res.body().length() < 200 && !res.body().contains("exapp_token"), res.body());
        }
        nextcloud.app("broken", "secret", exapp.port(), ROUTES);
        assertEquals(200, Http.get(harp.port(), "/exapps/broken/public").statusCode(), "errors are not cached");
    }

    @Test
    void malformedUserInfoDeniesProtectedRoutesOnly() {
        HarpServer harp = harp();
        String[] alice = {"Cookie", "oc_sessionPassphrase=alice-session"};
        for (String body : new String[] {"<html>maintenance</html>", "{\"user_id\":\"alice\"}", "{\"user_id\":\"alice\",\"access_level\":7}"}) {
            nextcloud.userInfoBody(body);
            HttpResponse<String> res = Http.get(harp.port(), "/exapps/app/user", alice);
            assertEquals(503, res.statusCode(), body);
            assertTrue(res.body().contains("Nextcloud cannot verify the user"), res.body());
        }
        HttpResponse<String> open = Http.get(harp.port(), "/exapps/app/public/echo", alice);
        assertEquals(200, open.statusCode(), "public routes stay reachable, anonymously");
        nextcloud.userInfoBody(null);
        assertEquals(200, Http.get(harp.port(), "/exapps/app/user", alice).statusCode(), "failures are not cached");
    }

    @Test
    void userInfoErrorsOfTheClientMakeItAnonymous() {
        HarpServer harp = harp();
        HttpResponse<String> res = Http.get(harp.port(), "/exapps/app/user", "Authorization", basic("alice:wrong"));
        assertEquals(403, res.statusCode(), "Nextcloud's 401 means anonymous, so a USER route is forbidden");
        nextcloud.forceStatus(503);
        assertEquals(503, Http.get(harp.port(), "/exapps/app/user", "Authorization", basic("bob:x")).statusCode());
    }
}
