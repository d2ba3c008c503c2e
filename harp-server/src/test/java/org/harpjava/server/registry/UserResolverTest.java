package org.harpjava.server.registry;

import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.WritableHeaders;
import org.harpjava.server.decision.AccessLevel;
import org.harpjava.server.decision.NcUser;
import org.harpjava.server.nextcloud.SourceUnavailableException;
import org.harpjava.server.nextcloud.UserSource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UserResolverTest {
    private static final Duration LIFETIME = Duration.ofSeconds(3);
    private static final Headers HEADERS = WritableHeaders.create().set(HeaderNames.COOKIE, "oc_sessionPassphrase=p1");

    /** An in-memory stand-in for Nextcloud's user-info: answers a user named after the call count. */
    private static final class FakeSource implements UserSource {
        final List<String> appIds = new ArrayList<>();
        final List<Headers> headers = new ArrayList<>();
        volatile String down;
        volatile NcUser answer;

        @Override
        public synchronized NcUser resolve(String appId, Headers h) throws SourceUnavailableException {
            appIds.add(appId);
            headers.add(h);
            if (down != null) {
                throw new SourceUnavailableException(down);
            }
            return answer != null ? answer : new NcUser("user" + appIds.size(), AccessLevel.USER);
        }

        synchronized int calls() {
            return appIds.size();
        }
    }

    private final FakeSource source = new FakeSource();
    private final AtomicLong now = new AtomicLong();

    private UserResolver resolver(Duration lifetime, long maxSize) {
        return new UserResolver(source, lifetime, maxSize, now::get);
    }

    private static Optional<String> some(String s) {
        return Optional.of(s);
    }

    /** Requests of one session that miss the cache together share one call; a failure reaches them all. */
    @Test
    void concurrentMissesOfOneSessionShareOneCall() throws Exception {
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        AtomicReference<String> down = new AtomicReference<>();
        UserSource slow = (appId, h) -> {
            int n = calls.incrementAndGet();
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            if (down.get() != null) {
                throw new SourceUnavailableException(down.get());
            }
            return new NcUser("user" + n, AccessLevel.USER);
        };
        UserResolver r = new UserResolver(slow, LIFETIME, 100, now::get);
        int callers = 8;
        List<java.util.concurrent.Future<NcUser>> answers = new ArrayList<>();
        try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < callers; i++) {
                answers.add(pool.submit(() -> r.resolve("app", some("p1"), Optional.empty(), HEADERS)));
            }
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (r.misses() < callers && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(callers, r.misses());
            release.countDown();
            for (var a : answers) {
                assertEquals(new NcUser("user1", AccessLevel.USER), a.get());
            }
        }
        assertEquals(1, calls.get());

        now.addAndGet(LIFETIME.toNanos() + 1);
        down.set("Nextcloud is down");
        List<java.util.concurrent.Future<NcUser>> failing = new ArrayList<>();
        try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 3; i++) {
                failing.add(pool.submit(() -> r.resolve("app", some("p1"), Optional.empty(), HEADERS)));
            }
            for (var f : failing) {
                var e = assertThrows(java.util.concurrent.ExecutionException.class, f::get);
                assertInstanceOf(SourceUnavailableException.class, e.getCause());
                assertEquals("Nextcloud is down", e.getCause().getMessage());
            }
        }
        int afterFailure = calls.get();
        assertTrue(afterFailure >= 2 && afterFailure <= 4, "calls: " + afterFailure);
        down.set(null);
        assertEquals(new NcUser("user" + (afterFailure + 1), AccessLevel.USER),
                r.resolve("app", some("p1"), Optional.empty(), HEADERS), "a failure is not cached");
    }

    @Test
    void callersWithoutCredentialsAreAnonymousWithoutAsking() throws Exception {
        UserResolver r = resolver(LIFETIME, 100);
        assertSame(NcUser.ANONYMOUS, r.resolve("app", Optional.empty(), Optional.empty(), HEADERS));
        assertEquals(0, source.calls());
    }

    @Test
    void theSourceGetsTheAppIdAndAllHeaders() throws Exception {
        UserResolver r = resolver(LIFETIME, 100);
        r.resolve("my_app", some("p1"), Optional.empty(), HEADERS);
        assertEquals(List.of("my_app"), source.appIds);
        assertSame(HEADERS, source.headers.get(0));
    }

    @Test
    void aSessionIsCachedForItsLifetime() throws Exception {
        UserResolver r = resolver(LIFETIME, 100);
        NcUser first = r.resolve("app", some("p1"), Optional.empty(), HEADERS);
        advance(LIFETIME.minusMillis(1));
        assertSame(first, r.resolve("app", some("p1"), Optional.empty(), HEADERS));
        assertEquals(1, source.calls());
        assertEquals(1, r.hits());
        assertEquals(1, r.misses());
        advance(Duration.ofMillis(1));
        NcUser again = r.resolve("app", some("p1"), Optional.empty(), HEADERS);
        assertEquals("user2", again.userId(), "asked again once the lifetime is over");
        assertEquals(2, source.calls());
    }

    @Test
    void theLifetimeCountsFromTheLookupNotTheLastUse() throws Exception {
        UserResolver r = resolver(LIFETIME, 100);
        r.resolve("app", some("p1"), Optional.empty(), HEADERS);
        for (int i = 0; i < 5; i++) {
            advance(Duration.ofMillis(700));
            r.resolve("app", some("p1"), Optional.empty(), HEADERS);
        }
        assertEquals(2, source.calls(), "a session in constant use is still re-checked");
    }

    @Test
    void sessionsAreKeyedByThePassphrase() throws Exception {
        UserResolver r = resolver(LIFETIME, 100);
        NcUser a = r.resolve("app", some("p1"), Optional.empty(), HEADERS);
        NcUser b = r.resolve("app", some("p2"), Optional.empty(), HEADERS);
        assertEquals("user1", a.userId());
        assertEquals("user2", b.userId());
        assertSame(a, r.resolve("app", some("p1"), Optional.empty(), HEADERS));
        assertSame(b, r.resolve("app", some("p2"), Optional.empty(), HEADERS));
    }

    @Test
    void sessionsAreNotScopedToAnApp() throws Exception {
        // As in HaRP: the cache key is the session, and user-info answers the same for every app.
        UserResolver r = resolver(LIFETIME, 100);
        NcUser a = r.resolve("app1", some("p1"), Optional.empty(), HEADERS);
        assertSame(a, r.resolve("app2", some("p1"), Optional.empty(), HEADERS));
        assertEquals(1, source.calls());
    }

    @Test
    void authorizationOnlyRequestsAreCachedByTheirHeader() throws Exception {
        UserResolver r = resolver(LIFETIME, 100);
        NcUser a = r.resolve("app", Optional.empty(), some("Basic YWxpY2U6cHc="), HEADERS);
        assertSame(a, r.resolve("app", Optional.empty(), some("Basic YWxpY2U6cHc="), HEADERS));
        NcUser b = r.resolve("app", Optional.empty(), some("Basic Ym9iOnB3"), HEADERS);
        assertEquals("user2", b.userId(), "other credentials are another key");
        assertEquals(2, source.calls());
    }

    @Test
    void passphraseAndAuthorizationTogetherAreOneKey() throws Exception {
        UserResolver r = resolver(LIFETIME, 100);
        r.resolve("app", some("p1"), Optional.empty(), HEADERS);
        r.resolve("app", some("p1"), some("Bearer x"), HEADERS);
        r.resolve("app", Optional.empty(), some("p1"), HEADERS);
        r.resolve("app", some(""), some("p1"), HEADERS);
        assertEquals(3, source.calls(), "cookie, cookie+header and header are distinct credentials");
        r.resolve("app", some("p1"), some("Bearer x"), HEADERS);
        assertEquals(3, source.calls());
    }

    @Test
    void zeroLifetimeTurnsCachingOff() throws Exception {
        UserResolver r = resolver(Duration.ZERO, 100);
        r.resolve("app", some("p1"), Optional.empty(), HEADERS);
        r.resolve("app", some("p1"), Optional.empty(), HEADERS);
        assertEquals(2, source.calls());
        assertEquals(0, r.hits());
    }

    @Test
    void failuresAreNotCached() throws Exception {
        UserResolver r = resolver(LIFETIME, 100);
        source.down = "user-info answered HTTP 502";
        SourceUnavailableException e = assertThrows(SourceUnavailableException.class,
                () -> r.resolve("app", some("p1"), Optional.empty(), HEADERS));
        assertEquals("user-info answered HTTP 502", e.getMessage());
        source.down = null;
        assertEquals("user2", r.resolve("app", some("p1"), Optional.empty(), HEADERS).userId());
        assertEquals(2, source.calls());
    }

    @Test
    void nextcloudsAnonymousAnswerIsPassedOn() throws Exception {
        UserResolver r = resolver(LIFETIME, 100);
        source.answer = NcUser.ANONYMOUS;
        assertTrue(r.resolve("app", some("expired"), Optional.empty(), HEADERS).anonymous());
    }

    @Test
    void theCacheIsBounded() throws Exception {
        UserResolver r = resolver(Duration.ofHours(1), 10);
        for (int i = 0; i < 1000; i++) {
            r.resolve("app", some("p" + i), Optional.empty(), HEADERS);
        }
        ForkJoinPool.commonPool().awaitQuiescence(5, TimeUnit.SECONDS);
        long before = r.hits();
        for (int i = 0; i < 1000; i++) {
            r.resolve("app", some("p" + i), Optional.empty(), HEADERS);
        }
        long hits = r.hits() - before;
        assertTrue(hits < 100, "at most a few of 1000 sessions stayed cached, got " + hits);
    }

    private void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }
}
