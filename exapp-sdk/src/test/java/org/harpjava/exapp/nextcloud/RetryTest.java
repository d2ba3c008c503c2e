package org.harpjava.exapp.nextcloud;

import org.harpjava.exapp.testkit.FakeNextcloud;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RetryTest {
    private static final String STATE = "/ocs/v1.php/apps/app_api/ex-app/state";
    private static final String CONFIG = "/ocs/v1.php/apps/app_api/api/v1/ex-app/config";
    private static FakeNextcloud fake;

    @BeforeAll
    static void start() {
        fake = Fixture.fake();
    }

    @AfterAll
    static void stop() {
        fake.close();
    }

    @BeforeEach
    void reset() {
        fake.clearFailures();
        fake.clearRequests();
    }

    @Test
    void maintenanceIsRetriedAfterRetryAfter() {
        fake.fail(null, STATE, 503, Duration.ofSeconds(1), 1);
        try (NextcloudClient nc = Fixture.client(fake)) {
            long start = System.nanoTime();
            assertTrue(nc.enabledState());
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(millis >= 950, "waited " + millis + " ms, Retry-After asked 1 s");
            assertEquals(2, fake.requests(STATE).size());
        }
    }

    @Test
    void throttlingIsRetriedWithBackoffThenSucceeds() {
        fake.fail("POST", CONFIG, 429, null, 2);
        try (NextcloudClient nc = Fixture.builder(fake).maxAttempts(3).build()) {
            nc.appConfig().set("k", "v");
            assertEquals(3, fake.requests(CONFIG).size());
            assertEquals("v", fake.appConfig().get("k"));
        }
    }

    @Test
    void givesUpAfterMaxAttempts() {
        fake.fail(null, STATE, 503, Duration.ZERO, 100);
        try (NextcloudClient nc = Fixture.builder(fake).maxAttempts(4).build()) {
            MaintenanceModeException e = assertThrows(MaintenanceModeException.class, nc::enabledState);
            assertEquals(4, fake.requests(STATE).size());
            assertEquals(503, e.status());
        }
    }

    @Test
    void retryAfterIsCapped() {
        fake.fail(null, STATE, 503, Duration.ofSeconds(120), 1);
        try (NextcloudClient nc = Fixture.builder(fake).maxRetryDelay(Duration.ofMillis(200)).build()) {
            long start = System.nanoTime();
            assertTrue(nc.enabledState());
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(millis >= 190 && millis < 5000, "waited " + millis + " ms");
        }
    }

    @Test
    void aStreamedBodyIsNotResent() {
        fake.fail("PUT", "/remote.php/dav/files/alice/once.bin", 503, Duration.ZERO, 1);
        try (NextcloudClient nc = Fixture.client(fake)) {
            assertThrows(MaintenanceModeException.class,
                    () -> nc.asUser("alice").files().upload("once.bin", new ByteArrayInputStream(new byte[10])));
            assertEquals(1, fake.requests("/remote.php/dav/files/alice/once.bin").size());
            nc.asUser("alice").files().upload("twice.bin", new byte[10]);
        }
    }

    @Test
    void connectionFailuresAreRetriedOnlyForIdempotentCalls() throws Exception {
        try (ScriptedServer server = new ScriptedServer().then(ScriptedServer.CLOSE)
                .then(ScriptedServer.ocsOk("1"));
             NextcloudClient nc = Fixture.builder(fake).nextcloudUrl(server.url()).build()) {
            assertTrue(nc.enabledState());
            assertEquals(2, server.connections());
        }
        try (ScriptedServer server = new ScriptedServer().then(ScriptedServer.CLOSE)
                .then(ScriptedServer.ocsOk("[]"));
             NextcloudClient nc = Fixture.builder(fake).nextcloudUrl(server.url()).build()) {
            assertThrows(TransportException.class, () -> nc.ocs().post("/ocs/v1.php/apps/x/api", Map.of()));
            assertEquals(1, server.connections(), "a POST is not sent twice");
            nc.appConfig().set("upsert", "is idempotent");
            assertEquals(2, server.connections());
        }
    }

    @Test
    void aStalledDownloadFailsAfterTheIdleTimeout() throws Exception {
        try (ScriptedServer server = new ScriptedServer().then(ScriptedServer.stall(1 << 20, 1000, 10_000));
             NextcloudClient nc = Fixture.builder(fake).nextcloudUrl(server.url())
                     .transferTimeout(Duration.ofMillis(600)).maxAttempts(1).build()) {
            long start = System.nanoTime();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            TransportException e = assertThrows(TransportException.class,
                    () -> nc.asUser("alice").files().download("big.bin", out));
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(millis >= 550 && millis < 5000, "failed after " + millis + " ms");
            assertTrue(e.getMessage().contains("no data moved"), e.getMessage());
            assertEquals(1000, out.size(), "what arrived before the stall was written");
        }
    }

    @Test
    void retryLogsNeverShowTheSecret() {
        Logger logger = Logger.getLogger("org.harpjava.exapp.nextcloud");
        List<LogRecord> records = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                records.add(r);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Level before = logger.getLevel();
        logger.setLevel(Level.ALL);
        logger.addHandler(capture);
        try (NextcloudClient nc = Fixture.builder(fake).maxAttempts(3).build()) {
            fake.fail(null, STATE, 503, Duration.ZERO, 2);
            assertTrue(nc.enabledState());
        } finally {
            logger.removeHandler(capture);
            logger.setLevel(before);
        }
        assertEquals(2, records.size(), "one record per retry");
        String credentials = Base64.getEncoder().encodeToString((":" + Fixture.SECRET).getBytes(StandardCharsets.UTF_8));
        for (LogRecord r : records) {
            String text = r.getMessage() + " " + r.getThrown();
            assertFalse(text.contains(Fixture.SECRET), text);
            assertFalse(text.contains(credentials), text);
            assertTrue(text.contains("503"), text);
        }
    }
}
