package org.harpjava.exapp.nextcloud;

import org.harpjava.exapp.testkit.FakeNextcloud;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ErrorsTest {
    private static final String CONFIG = "/ocs/v1.php/apps/app_api/api/v1/ex-app/config";
    private static FakeNextcloud fake;
    private static NextcloudClient once;

    @BeforeAll
    static void start() {
        fake = Fixture.fake();
        once = Fixture.builder(fake).maxAttempts(1).build();
    }

    @AfterAll
    static void stop() {
        once.close();
        fake.close();
    }

    @BeforeEach
    void reset() {
        fake.clearFailures();
        fake.clearRequests();
    }

    private static void assertNoSecret(Throwable e, String secret) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage());
            assertFalse(m.contains(secret), "secret in message: " + m);
            assertFalse(m.contains(Base64.getEncoder().encodeToString((":" + secret).getBytes(StandardCharsets.UTF_8))),
                    "credentials in message: " + m);
        }
        assertFalse(String.valueOf(e).contains(secret));
    }

    @Test
    void wrongSecretIsUnauthorizedWith997AndNoSecretInTheMessage() {
        String wrong = "Wr0ng-S3cret-value";
        try (NextcloudClient bad = NextcloudClient.builder(Fixture.environment(fake)).appSecret(wrong).build()) {
            UnauthorizedException e = assertThrows(UnauthorizedException.class, () -> bad.appConfig().set("k", "v"));
            assertEquals(401, e.status());
            assertEquals(997, e.ocsStatus());
            assertEquals("POST", e.method());
            assertEquals(CONFIG, e.path());
            assertTrue(e.getMessage().startsWith("POST " + CONFIG + " answered HTTP 401 (OCS 997)"), e.getMessage());
            assertNoSecret(e, wrong);
            assertNoSecret(e, Fixture.SECRET);
        }
        try (NextcloudClient other = NextcloudClient.builder(Fixture.environment(fake)).appId("someone_else").build()) {
            assertThrows(UnauthorizedException.class, () -> other.enabledState());
        }
    }

    @Test
    void notFoundInBothOcsVersions() {
        NotFoundException v1 = assertThrows(NotFoundException.class,
                () -> once.ocs().delete("/ocs/v1.php/apps/app_api/api/v1/ui/top-menu", Map.of("name", "none")));
        assertEquals(200, v1.status(), "OCS v1 reports failures inside HTTP 200");
        assertEquals(998, v1.ocsStatus());
        NotFoundException v2 = assertThrows(NotFoundException.class,
                () -> once.ocs().get("/ocs/v2.php/taskprocessing/tasks_provider/5/progress", Map.of()));
        assertEquals(404, v2.status());
    }

    @Test
    void maintenanceCarriesRetryAfter() {
        fake.fail(null, CONFIG, 503, Duration.ofSeconds(120), 1);
        MaintenanceModeException e = assertThrows(MaintenanceModeException.class, () -> once.appConfig().set("k", "v"));
        assertEquals(503, e.status());
        assertEquals(Optional.of(Duration.ofSeconds(120)), e.retryAfter());
    }

    @Test
    void throttlingCarriesRetryAfter() {
        fake.fail("POST", CONFIG + "*", 429, Duration.ofSeconds(7), 1);
        TooManyRequestsException e = assertThrows(TooManyRequestsException.class,
                () -> once.appConfig().get("k"));
        assertEquals(429, e.status());
        assertEquals(Optional.of(Duration.ofSeconds(7)), e.retryAfter());
    }

    @Test
    void otherStatusesAndOcsFailures() {
        fake.fail(null, CONFIG, 500, null, 1);
        HttpStatusException e = assertThrows(HttpStatusException.class, () -> once.appConfig().set("k", "v"));
        assertEquals(500, e.status());
        assertEquals(Optional.empty(), e.retryAfter());
        HttpStatusException bad = assertThrows(HttpStatusException.class,
                () -> once.ocs().post("/ocs/v1.php/apps/app_api/api/v1/log", Map.of("level", 9, "message", "x")));
        assertEquals(200, bad.status());
        assertEquals(400, bad.ocsStatus());
        assertTrue(bad.getMessage().contains("Invalid log level"), bad.getMessage());
    }

    @Test
    void noListenerIsATransportFailure() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (NextcloudClient dead = NextcloudClient.builder(Fixture.environment(fake))
                .nextcloudUrl(URI.create("http://127.0.0.1:" + port)).maxAttempts(2)
                .initialBackoff(Duration.ofMillis(10)).build()) {
            TransportException e = assertThrows(TransportException.class, dead::enabledState);
            assertEquals(0, e.status());
            assertNoSecret(e, Fixture.SECRET);
        }
    }

    @Test
    void answersThatAreNotOcsAreReported() throws Exception {
        try (ScriptedServer server = new ScriptedServer().then(ScriptedServer.respond(200, "<html>login</html>"))
                .then(ScriptedServer.respond(200, "{\"no\":\"envelope\"}"));
             NextcloudClient nc = NextcloudClient.builder(Fixture.environment(fake)).nextcloudUrl(server.url())
                     .maxAttempts(1).build()) {
            assertTrue(assertThrows(HttpStatusException.class, nc::enabledState).getMessage().contains("not JSON"));
            assertTrue(assertThrows(HttpStatusException.class, nc::enabledState).getMessage().contains("no OCS envelope"));
        }
    }
}
