package org.harpjava.server.docker;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection whose call has run past its deadline, which interrupts any blocked read, write or connect.
 * Unix-domain channels have no socket timeouts, so every engine call is timed this way. An idle watchdog moves its
 * deadline forward on each {@link #progress()}; a total one does not.
 */
final class Watchdog implements AutoCloseable {
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "docker-engine-watchdog");
        t.setDaemon(true);
        return t;
    });

    private final Closeable target;
    private final long limitNanos;
    private final boolean idle;
    private volatile long deadline;
    private volatile boolean fired;
    private volatile boolean closed;
    private ScheduledFuture<?> task;

    private Watchdog(Closeable target, Duration limit, boolean idle) {
        this.target = target;
        this.limitNanos = limit.toNanos();
        this.idle = idle;
        this.deadline = System.nanoTime() + limitNanos;
        schedule(limitNanos);
    }

    /** Closes {@code target} once {@code limit} has passed in total. */
    static Watchdog total(Closeable target, Duration limit) {
        return new Watchdog(target, limit, false);
    }

    /** Closes {@code target} once {@code limit} has passed without {@link #progress()}. */
    static Watchdog idle(Closeable target, Duration limit) {
        return new Watchdog(target, limit, true);
    }

    private synchronized void schedule(long delayNanos) {
        if (!closed) {
            task = TIMER.schedule(this::check, Math.max(delayNanos, 0), TimeUnit.NANOSECONDS);
        }
    }

    private void check() {
        long left = deadline - System.nanoTime();
        if (closed) {
            return;
        }
        if (left > 0) {
            schedule(left);
            return;
        }
        fired = true;
        try {
            target.close();
        } catch (IOException ignored) {
            // the connection is abandoned either way
        }
    }

    /** Data moved: an idle watchdog starts its count again. */
    void progress() {
        if (idle) {
            deadline = System.nanoTime() + limitNanos;
        }
    }

    /** Whether the deadline passed and the connection was closed because of it. */
    boolean fired() {
        return fired;
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (task != null) {
            task.cancel(false);
        }
    }
}
