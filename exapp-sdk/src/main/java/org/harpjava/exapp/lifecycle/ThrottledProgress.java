package org.harpjava.exapp.lifecycle;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Passes progress on at most once per {@code interval}, and only when it changed; 100 and errors always pass.
 * Keeps a chatty download loop from flooding Nextcloud with status updates.
 */
final class ThrottledProgress implements InitProgress {
    private static final System.Logger LOG = System.getLogger(ThrottledProgress.class.getName());

    private final InitStatusSink sink;
    private final long intervalNanos;
    private final LongSupplier clock;
    private int lastSent = -1;
    private long lastSentAt;

    ThrottledProgress(InitStatusSink sink, Duration interval, LongSupplier clock) {
        this.sink = sink;
        this.intervalNanos = interval.toNanos();
        this.clock = clock;
    }

    @Override
    public synchronized void report(int percent) {
        int p = Math.max(0, Math.min(99, percent));
        long now = clock.getAsLong();
        if (p == lastSent || (lastSent >= 0 && now - lastSentAt < intervalNanos)) {
            return;
        }
        send(p, "");
        lastSentAt = now;
    }

    synchronized void finished() {
        send(100, "");
    }

    synchronized void failed(String error) {
        send(Math.max(lastSent, 0), error.isEmpty() ? "initialisation failed" : error);
    }

    private void send(int progress, String error) {
        try {
            sink.send(progress, error);
            lastSent = progress;
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "Cannot report initialisation progress to Nextcloud: " + e.getMessage());
        }
    }
}
