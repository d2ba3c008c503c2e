package org.harpjava.server.security;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BruteForceGuardTest {
    private static final Duration WINDOW = Duration.ofSeconds(300);

    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    private BruteForceGuard guard(int limit, long maxAddresses) {
        return new BruteForceGuard(limit, WINDOW, maxAddresses, now::get);
    }

    private void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }

    @Test
    void harpsDefaultBansOnTheTenthFailureWithinTheWindow() {
        BruteForceGuard g = guard(10, 100);
        for (int i = 1; i < 10; i++) {
            assertFalse(g.recordFailure("203.0.113.1"), "failure " + i);
            assertEquals(Optional.empty(), g.banRemaining("203.0.113.1"));
            advance(Duration.ofSeconds(1));
        }
        assertTrue(g.recordFailure("203.0.113.1"));
        assertTrue(g.banRemaining("203.0.113.1").isPresent());
    }

    @Test
    void failuresSpreadBeyondTheWindowDoNotBan() {
        BruteForceGuard g = guard(3, 100);
        assertFalse(g.recordFailure("a"));
        advance(Duration.ofSeconds(200));
        assertFalse(g.recordFailure("a"));
        advance(Duration.ofSeconds(101));
        assertFalse(g.recordFailure("a"), "the first failure left the window: two within it");
        advance(Duration.ofSeconds(1));
        assertTrue(g.recordFailure("a"), "three within the window");
    }

    @Test
    void banLiftsWhenTheOldestCountedFailureLeavesTheWindow() {
        BruteForceGuard g = guard(3, 100);
        g.recordFailure("a");
        advance(Duration.ofSeconds(10));
        g.recordFailure("a");
        advance(Duration.ofSeconds(10));
        assertTrue(g.recordFailure("a"));
        assertEquals(Optional.of(WINDOW.minusSeconds(20)), g.banRemaining("a"));
        advance(Duration.ofSeconds(279));
        assertEquals(Optional.of(Duration.ofSeconds(1)), g.banRemaining("a"));
        advance(Duration.ofSeconds(1));
        assertEquals(Optional.empty(), g.banRemaining("a"), "lifted exactly at the window's end");
        advance(Duration.ofSeconds(1));
        assertEquals(Optional.empty(), g.banRemaining("a"));
        assertTrue(g.recordFailure("a"), "the two later failures plus this one: banned again");
    }

    @Test
    void failuresWhileBannedKeepTheBanGoing() {
        BruteForceGuard g = guard(2, 100);
        g.recordFailure("a");
        advance(Duration.ofSeconds(200));
        assertTrue(g.recordFailure("a"));
        advance(Duration.ofSeconds(99));
        assertTrue(g.recordFailure("a"));
        advance(Duration.ofSeconds(2));
        // At 301 s the failures at 200 s and 299 s are within the window; the one at 0 s is not.
        assertEquals(Optional.of(Duration.ofSeconds(199)), g.banRemaining("a"));
        advance(Duration.ofSeconds(199));
        assertEquals(Optional.empty(), g.banRemaining("a"));
    }

    @Test
    void addressesAreCountedApart() {
        BruteForceGuard g = guard(2, 100);
        g.recordFailure("a");
        g.recordFailure("b");
        assertEquals(Optional.empty(), g.banRemaining("a"));
        assertEquals(Optional.empty(), g.banRemaining("b"));
        assertTrue(g.recordFailure("a"));
        assertEquals(Optional.empty(), g.banRemaining("b"));
        assertEquals(Optional.empty(), g.banRemaining("c"));
    }

    @Test
    void limitOfOneBansAtOnce() {
        BruteForceGuard g = guard(1, 100);
        assertTrue(g.recordFailure("a"));
        assertEquals(Optional.of(WINDOW), g.banRemaining("a"));
    }

    @Test
    void limitOfZeroTurnsProtectionOff() {
        BruteForceGuard g = guard(0, 100);
        assertFalse(g.enabled());
        for (int i = 0; i < 100; i++) {
            assertFalse(g.recordFailure("a"));
        }
        assertEquals(Optional.empty(), g.banRemaining("a"));
        assertEquals(0, g.trackedAddresses());
    }

    @Test
    void quietAddressesAreForgotten() {
        BruteForceGuard g = guard(3, 100);
        g.recordFailure("a");
        g.recordFailure("a");
        advance(WINDOW.plusSeconds(1));
        assertFalse(g.recordFailure("a"), "earlier failures left the window");
        assertFalse(g.recordFailure("a"));
        assertTrue(g.recordFailure("a"));
    }

    @Test
    void theTableIsBounded() {
        BruteForceGuard g = guard(3, 50);
        for (int i = 0; i < 5_000; i++) {
            g.recordFailure("198.51." + (i / 256) + "." + (i % 256));
        }
        ForkJoinPool.commonPool().awaitQuiescence(5, TimeUnit.SECONDS);
        assertTrue(g.trackedAddresses() <= 50, "tracked " + g.trackedAddresses());
    }

    @Test
    void concurrentFailuresAreAllCounted() throws InterruptedException {
        BruteForceGuard g = guard(400, 100);
        int threads = 4;
        CountDownLatch start = new CountDownLatch(1);
        Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            workers[t] = Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                for (int i = 0; i < 99; i++) {
                    g.recordFailure("a");
                }
            });
        }
        start.countDown();
        for (Thread w : workers) {
            w.join();
        }
        assertEquals(Optional.empty(), g.banRemaining("a"), "396 failures, limit 400");
        g.recordFailure("a");
        g.recordFailure("a");
        g.recordFailure("a");
        assertFalse(g.banRemaining("a").isPresent());
        assertTrue(g.recordFailure("a"));
    }
}
