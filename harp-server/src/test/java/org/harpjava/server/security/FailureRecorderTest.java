package org.harpjava.server.security;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FailureRecorderTest {
    private final AtomicLong now = new AtomicLong();
    private final AtomicInteger bans = new AtomicInteger();
    private final BruteForceGuard guard = new BruteForceGuard(3, Duration.ofSeconds(60), 100, now::get);
    private final FailureRecorder recorder = new FailureRecorder(guard, bans::incrementAndGet);

    @Test
    void countsFailuresOfOrdinaryCallers() {
        Caller c = new Caller("203.0.113.1", false);
        recorder.record(c);
        recorder.record(c);
        assertFalse(guard.banRemaining(c.ip()).isPresent());
        recorder.record(c);
        assertTrue(guard.banRemaining(c.ip()).isPresent());
    }

    @Test
    void callersHoldingTheSharedKeyAreNeverCounted() {
        // HaRP PR #100: Nextcloud must not ban itself.
        Caller nc = new Caller("10.0.0.5", true);
        for (int i = 0; i < 10; i++) {
            recorder.record(nc);
        }
        assertFalse(guard.banRemaining(nc.ip()).isPresent());
        assertEquals(0, bans.get());
    }

    @Test
    void reportsEachNewBanOnce() {
        Caller c = new Caller("a", false);
        for (int i = 0; i < 10; i++) {
            recorder.record(c);
        }
        assertEquals(1, bans.get(), "failures while banned are no new ban");
        now.addAndGet(Duration.ofSeconds(61).toNanos());
        assertFalse(guard.banRemaining("a").isPresent());
        recorder.record(c);
        recorder.record(c);
        assertEquals(1, bans.get());
        recorder.record(c);
        assertEquals(2, bans.get(), "a ban after the last one lifted is reported");
        recorder.record(new Caller("b", false));
        assertEquals(2, bans.get());
    }

    @Test
    void disabledGuardRecordsNothing() {
        BruteForceGuard off = new BruteForceGuard(0, Duration.ofSeconds(60), 100, now::get);
        FailureRecorder r = new FailureRecorder(off, bans::incrementAndGet);
        for (int i = 0; i < 10; i++) {
            r.record(new Caller("a", false));
        }
        assertEquals(0, bans.get());
        assertEquals(0, off.trackedAddresses());
        assertSame(off, r.guard());
    }
}
