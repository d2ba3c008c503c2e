package org.harpjava.server.registry;

import org.harpjava.server.decision.AccessLevel;
import org.harpjava.server.decision.ExAppMeta;
import org.harpjava.server.decision.Route;
import org.harpjava.server.nextcloud.ExAppSource;
import org.harpjava.server.nextcloud.SourceUnavailableException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExAppRegistryTest {
    private static final Duration TTL = Duration.ofSeconds(60);
    private static final Duration NEGATIVE = Duration.ofSeconds(15);
    private static final Duration STALE = Duration.ofHours(24);

    /** An in-memory stand-in for Nextcloud's exapp-meta. */
    private static final class FakeSource implements ExAppSource {
        final Map<String, ExAppMeta> apps = new ConcurrentHashMap<>();
        final AtomicInteger calls = new AtomicInteger();
        volatile String down;

        @Override
        public Optional<ExAppMeta> fetch(String appId) throws SourceUnavailableException {
            calls.incrementAndGet();
            if (down != null) {
                throw new SourceUnavailableException(down);
            }
            return Optional.ofNullable(apps.get(appId));
        }
    }

    private final FakeSource source = new FakeSource();
    private final AtomicLong now = new AtomicLong();

    private ExAppRegistry registry(long maxSize) {
        return new ExAppRegistry(source, TTL, NEGATIVE, STALE, maxSize, Runnable::run, now::get);
    }

    private void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }

    private static ExAppMeta meta(String id, String version) {
        return new ExAppMeta(id, "token-" + id, version, "127.0.0.1", 23000,
                List.of(Route.of("^/", AccessLevel.PUBLIC, Set.of())));
    }

    private static ExAppMeta known(ExAppRegistry.Lookup lookup) {
        return assertInstanceOf(ExAppRegistry.Known.class, lookup).meta();
    }

    @Test
    void loadsOnceAndServesFromTheCache() {
        ExAppRegistry r = registry(100);
        source.apps.put("app", meta("app", "1"));
        assertEquals("1", known(r.find("app")).version());
        assertEquals("1", known(r.find("app")).version());
        assertEquals("1", known(r.find("app")).version());
        assertEquals(1, source.calls.get());
        assertEquals(1, r.misses());
        assertEquals(2, r.hits());
        assertEquals(1, r.size());
    }

    @Test
    void unknownAppsAreRememberedForTheNegativeTtl() {
        ExAppRegistry r = registry(100);
        assertInstanceOf(ExAppRegistry.Unknown.class, r.find("ghost"));
        source.apps.put("ghost", meta("ghost", "1"));
        advance(NEGATIVE.minusMillis(1));
        assertInstanceOf(ExAppRegistry.Unknown.class, r.find("ghost"));
        assertEquals(1, source.calls.get());
        advance(Duration.ofMillis(1));
        assertEquals("1", known(r.find("ghost")).version());
        assertEquals(2, source.calls.get());
    }

    @Test
    void failuresToReachTheSourceAreNotCached() {
        ExAppRegistry r = registry(100);
        source.down = "Nextcloud timed out";
        ExAppRegistry.Unavailable u = assertInstanceOf(ExAppRegistry.Unavailable.class, r.find("app"));
        assertEquals("Nextcloud timed out", u.reason());
        assertInstanceOf(ExAppRegistry.Unavailable.class, r.find("app"));
        assertEquals(2, source.calls.get());
        source.down = null;
        source.apps.put("app", meta("app", "1"));
        assertEquals("1", known(r.find("app")).version());
        assertEquals(0, r.size() - 1);
    }

    @Test
    void metadataIsRefreshedAfterTheTtl() {
        ExAppRegistry r = registry(100);
        source.apps.put("app", meta("app", "1"));
        known(r.find("app"));
        source.apps.put("app", meta("app", "2"));
        advance(TTL.minusSeconds(1));
        assertEquals("1", known(r.find("app")).version());
        assertEquals(1, source.calls.get());
        advance(Duration.ofSeconds(2));
        r.find("app");
        assertEquals("2", known(r.find("app")).version());
        assertEquals(2, source.calls.get());
    }

    @Test
    void staleMetadataKeepsServingWhileTheSourceIsDown() {
        ExAppRegistry r = registry(100);
        source.apps.put("app", meta("app", "1"));
        known(r.find("app"));
        source.down = "connection refused";
        for (int i = 0; i < 10; i++) {
            advance(TTL.plusSeconds(1));
            assertEquals("1", known(r.find("app")).version(), "round " + i);
        }
        assertTrue(source.calls.get() > 1, "refreshes were attempted");
        assertEquals("1", r.cached("app").orElseThrow().version());
    }

    @Test
    void staleMetadataIsDroppedAfterTheStaleLimit() {
        ExAppRegistry r = registry(100);
        source.apps.put("app", meta("app", "1"));
        known(r.find("app"));
        source.down = "connection refused";
        advance(STALE.minusSeconds(1));
        assertEquals("1", known(r.find("app")).version());
        advance(Duration.ofSeconds(2));
        assertInstanceOf(ExAppRegistry.Unavailable.class, r.find("app"));
        assertEquals(Optional.empty(), r.cached("app"));
    }

    @Test
    void aSuccessfulRefreshRestartsTheStaleLimit() {
        ExAppRegistry r = registry(100);
        source.apps.put("app", meta("app", "1"));
        known(r.find("app"));
        advance(STALE.minusHours(1));
        r.find("app");
        source.down = "down";
        advance(Duration.ofHours(2));
        assertEquals("1", known(r.find("app")).version(), "refreshed an hour before the limit");
    }

    @Test
    void anAppNextcloudForgetsBecomesUnknownOnRefresh() {
        ExAppRegistry r = registry(100);
        source.apps.put("app", meta("app", "1"));
        known(r.find("app"));
        source.apps.remove("app");
        advance(TTL.plusSeconds(1));
        r.find("app");
        assertInstanceOf(ExAppRegistry.Unknown.class, r.find("app"));
    }

    @Test
    void disabledAppsAreNotServedNorReloaded() {
        ExAppRegistry r = registry(100);
        source.apps.put("app", meta("app", "1"));
        known(r.find("app"));
        assertTrue(r.disable("app"));
        assertInstanceOf(ExAppRegistry.Disabled.class, r.find("app"));
        advance(STALE.plusHours(1));
        assertInstanceOf(ExAppRegistry.Disabled.class, r.find("app"));
        assertEquals(1, source.calls.get(), "a disabled app is not fetched again");
        assertEquals(Optional.empty(), r.cached("app"));
    }

    @Test
    void disableReportsWhetherTheAppWasCached() {
        ExAppRegistry r = registry(100);
        assertFalse(r.disable("never-seen"));
        r.find("ghost");
        assertFalse(r.disable("ghost"), "an unknown app had no metadata");
        r.store(meta("app", "1"));
        assertTrue(r.disable("app"));
        assertFalse(r.disable("app"), "already disabled");
    }

    @Test
    void storeBringsADisabledAppBack() {
        ExAppRegistry r = registry(100);
        r.disable("app");
        r.store(meta("app", "3"));
        assertEquals("3", known(r.find("app")).version());
        assertEquals(0, source.calls.get(), "pushed metadata needs no fetch");
    }

    @Test
    void storeReplacesCachedMetadataUnderTheLowerCaseId() {
        ExAppRegistry r = registry(100);
        source.apps.put("my_app", meta("my_app", "1"));
        known(r.find("my_app"));
        r.store(meta("My_App", "2"));
        ExAppMeta m = known(r.find("my_app"));
        assertEquals("2", m.version());
        assertEquals("My_App", m.appId());
        assertEquals(1, source.calls.get());
    }

    @Test
    void storeOverridesANegativeEntry() {
        ExAppRegistry r = registry(100);
        assertInstanceOf(ExAppRegistry.Unknown.class, r.find("app"));
        r.store(meta("app", "1"));
        assertEquals("1", known(r.find("app")).version());
    }

    @Test
    void cachedNeverLoads() {
        ExAppRegistry r = registry(100);
        assertEquals(Optional.empty(), r.cached("app"));
        assertEquals(0, source.calls.get());
        r.find("ghost");
        assertEquals(Optional.empty(), r.cached("ghost"));
        ExAppMeta m = meta("app", "1");
        r.store(m);
        assertSame(m, r.cached("app").orElseThrow());
    }

    @Test
    void theCacheIsBounded() {
        ExAppRegistry r = registry(10);
        for (int i = 0; i < 200; i++) {
            source.apps.put("app" + i, meta("app" + i, "1"));
            known(r.find("app" + i));
        }
        for (int i = 0; i < 200; i++) {
            r.store(meta("pushed" + i, "1"));
        }
        assertTrue(r.size() <= 10, "size " + r.size());
    }

    @Test
    void concurrentLookupsShareOneLoad() throws InterruptedException {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        ExAppSource slow = appId -> {
            calls.incrementAndGet();
            entered.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Optional.of(meta(appId, "1"));
        };
        ExAppRegistry r = new ExAppRegistry(slow, TTL, NEGATIVE, STALE, 100, Runnable::run, now::get);
        List<Thread> threads = new ArrayList<>();
        List<ExAppRegistry.Lookup> results = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 8; i++) {
            threads.add(Thread.ofPlatform().start(() -> results.add(r.find("app"))));
        }
        assertTrue(entered.await(10, TimeUnit.SECONDS));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (threads.stream().anyMatch(t -> t.getState() == Thread.State.RUNNABLE || t.getState() == Thread.State.NEW)
                && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        release.countDown();
        for (Thread t : threads) {
            t.join(10_000);
        }
        assertEquals(1, calls.get());
        assertEquals(8, results.size());
        results.forEach(l -> assertEquals("1", known(l).version()));
    }

    @Test
    void differentAppsLoadApart() {
        ExAppRegistry r = registry(100);
        source.apps.put("a", meta("a", "1"));
        source.apps.put("b", meta("b", "2"));
        assertEquals("1", known(r.find("a")).version());
        assertEquals("2", known(r.find("b")).version());
        assertEquals(2, source.calls.get());
    }
}
