package org.harpjava.exapp.lifecycle;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ThrottledProgressTest {
    private final List<String> sent = new ArrayList<>();
    private final AtomicLong now = new AtomicLong(1_000);
    private final ThrottledProgress progress = new ThrottledProgress((p, e) -> sent.add(p + (e.isEmpty() ? "" : " " + e)),
            Duration.ofSeconds(1), now::get);

    @Test
    void sendsAtMostOncePerIntervalAndOnlyChanges() {
        progress.report(0);
        progress.report(5);
        progress.report(7);
        now.addAndGet(Duration.ofMillis(1500).toNanos());
        progress.report(7);
        progress.report(8);
        now.addAndGet(Duration.ofSeconds(2).toNanos());
        progress.report(8);
        progress.finished();
        assertEquals(List.of("0", "7", "8", "100"), sent);
    }

    @Test
    void clampsToBelowOneHundredUntilFinished() {
        progress.report(250);
        assertEquals(List.of("99"), sent);
    }

    @Test
    void failureCarriesTheMessageAndTheLastProgress() {
        progress.report(40);
        progress.failed("model download failed");
        assertEquals(List.of("40", "40 model download failed"), sent);
    }

    @Test
    void sinkFailuresDoNotStopTheTask() {
        List<Integer> attempts = new ArrayList<>();
        ThrottledProgress failing = new ThrottledProgress((p, e) -> {
            attempts.add(p);
            throw new IllegalStateException("Nextcloud down");
        }, Duration.ZERO, now::get);
        failing.report(10);
        failing.finished();
        assertEquals(List.of(10, 100), attempts);
    }
}
