package org.harpjava.exapp.nextcloud;

import org.harpjava.exapp.testkit.FakeNextcloud;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.ErrorManager;
import java.util.logging.Level;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogHandlerTest {
    private static FakeNextcloud fake;

    @BeforeAll
    static void start() {
        fake = Fixture.fake();
    }

    @AfterAll
    static void stop() {
        fake.close();
    }

    private static Logger logger(String name, NextcloudLogHandler handler) {
        Logger logger = Logger.getLogger(name);
        logger.setUseParentHandlers(false);
        logger.setLevel(Level.ALL);
        for (var h : logger.getHandlers()) {
            logger.removeHandler(h);
        }
        logger.addHandler(handler);
        return logger;
    }

    @Test
    void levelsMapToNextcloudLevels() {
        assertEquals(LogLevel.ERROR, LogLevel.of(Level.SEVERE));
        assertEquals(LogLevel.WARNING, LogLevel.of(Level.WARNING));
        assertEquals(LogLevel.INFO, LogLevel.of(Level.INFO));
        assertEquals(LogLevel.DEBUG, LogLevel.of(Level.CONFIG));
        assertEquals(LogLevel.DEBUG, LogLevel.of(Level.FINEST));
        assertEquals(LogLevel.FATAL, LogLevel.of(Level.parse("1100")));
    }

    @Test
    void forwardsRecordsAtOrAboveTheAppApiLogLevel() {
        try (NextcloudClient nc = Fixture.builder(fake).capabilitiesTtl(Duration.ZERO).build()) {
            Logger log = logger("transcriber.worker", new NextcloudLogHandler(nc));
            fake.setLogLevel(2);
            int before = fake.logs().size();
            log.info("model loaded");
            log.fine("details");
            assertEquals(before, fake.logs().size(), "INFO and DEBUG are below app_api.loglevel 2");
            log.warning("queue is long");
            log.log(Level.SEVERE, "task {0} failed", 17);
            List<FakeNextcloud.LogEntry> sent = fake.logs().subList(before, fake.logs().size());
            assertEquals(List.of(new FakeNextcloud.LogEntry(2, "[transcriber.worker] queue is long"),
                    new FakeNextcloud.LogEntry(3, "[transcriber.worker] task 17 failed")), sent);

            fake.setLogLevel(0);
            log.log(Level.FINE, "with trace", new IllegalStateException("bad state"));
            FakeNextcloud.LogEntry last = fake.logs().get(fake.logs().size() - 1);
            assertEquals(0, last.level());
            assertTrue(last.message().startsWith("[transcriber.worker] with trace\njava.lang.IllegalStateException: bad state"),
                    last.message());
            fake.setLogLevel(1);
        }
    }

    @Test
    void aFailureGoesToTheErrorManagerWithoutTheSecret() {
        String wrong = "Not-The-Secret-42";
        try (NextcloudClient bad = NextcloudClient.builder(Fixture.environment(fake)).appSecret(wrong).build()) {
            NextcloudLogHandler handler = new NextcloudLogHandler(bad);
            List<String> errors = new ArrayList<>();
            handler.setErrorManager(new ErrorManager() {
                @Override
                public synchronized void error(String msg, Exception ex, int code) {
                    errors.add(msg + " " + ex);
                }
            });
            logger("transcriber.failing", handler).severe("lost");
            assertEquals(1, errors.size());
            assertTrue(errors.get(0).contains("401"), errors.get(0));
            assertFalse(errors.get(0).contains(wrong));
            assertFalse(errors.get(0).contains(Fixture.SECRET));
        }
    }

    @Test
    void recordsOfTheClientItselfAreNotForwarded() {
        try (NextcloudClient nc = Fixture.builder(fake).capabilitiesTtl(Duration.ZERO).build()) {
            Logger own = logger("org.harpjava.exapp.nextcloud.Transport", new NextcloudLogHandler(nc));
            int before = fake.logs().size();
            own.severe("would loop");
            assertEquals(before, fake.logs().size());
            own.setUseParentHandlers(true);
            for (var h : own.getHandlers()) {
                own.removeHandler(h);
            }
            own.setLevel(null);
        }
    }
}
