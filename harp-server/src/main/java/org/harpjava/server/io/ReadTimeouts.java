package org.harpjava.server.io;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Bounds how long a connection's read may wait for bytes: a connection whose read has waited longer than the
 * timeout is closed, which ends the read with an exception. Only reads are timed, never writes, so a slow but
 * moving stream is not cut.
 *
 * <p>A read marks when it starts waiting and when it ends, and one platform thread looks at every watched
 * connection a few times per timeout period. A socket timeout would do the same per read, but on a virtual thread
 * every timed wait registers a timer with the JDK's delay scheduler and wakes its thread: on the proxy's path that
 * cost more than a context switch per request. Expiry is therefore detected within a quarter of the timeout
 * (at least 50 ms, at most 5 s) after it passes.
 */
public final class ReadTimeouts implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ReadTimeouts.class.getName());

    private final String what;
    private final long timeoutNanos;
    private final Set<Watch> watched = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService sweeper;

    /**
     * @param what    what is timed, for the sweeper thread's name and for logs (for example {@code "client"})
     * @param timeout the longest wait of one read
     */
    public ReadTimeouts(String what, Duration timeout) {
        this.what = what;
        this.timeoutNanos = timeout.toNanos();
        Duration period = timeout.dividedBy(4);
        if (period.compareTo(Duration.ofMillis(50)) < 0) {
            period = Duration.ofMillis(50);
        } else if (period.compareTo(Duration.ofSeconds(5)) > 0) {
            period = Duration.ofSeconds(5);
        }
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "harp-" + what + "-timeout");
            t.setDaemon(true);
            return t;
        });
        sweeper.scheduleAtFixedRate(this::sweep, period.toNanos(), period.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Starts watching the reads of one connection; the caller ends the watch when the connection ends.
     *
     * @param id     the connection, for logs
     * @param target closed when a read waits too long
     */
    public Watch watch(String id, Closeable target) {
        Watch w = new Watch(id, target);
        watched.add(w);
        return w;
    }

    /** Connections watched now. */
    public int size() {
        return watched.size();
    }

    private void sweep() {
        long now = System.nanoTime();
        for (Watch w : watched) {
            long since = w.readingSince;
            if (since != 0 && now - since > timeoutNanos) {
                watched.remove(w);
                w.expired = true;
                LOG.log(System.Logger.Level.DEBUG, () -> "Closing " + what + " connection " + w.id
                        + ": nothing received within the " + what + " timeout");
                try {
                    w.target.close();
                } catch (IOException | RuntimeException e) {
                    LOG.log(System.Logger.Level.DEBUG, "Closing a timed-out " + what + " connection failed", e);
                }
            }
        }
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
        watched.clear();
    }

    /** The read state of one connection. */
    public final class Watch {
        private final String id;
        private final Closeable target;
        private volatile long readingSince;
        private volatile boolean expired;

        private Watch(String id, Closeable target) {
            this.id = id;
            this.target = target;
        }

        /** A read starts waiting. */
        public void reading() {
            long now = System.nanoTime();
            readingSince = now == 0 ? 1 : now;
        }

        /** The read returned. */
        public void done() {
            readingSince = 0;
        }

        /** Whether the connection was closed because a read waited too long. */
        public boolean expired() {
            return expired;
        }

        /** Stops watching: the connection ended, or its reads are bounded elsewhere from now on. */
        public void end() {
            watched.remove(this);
        }
    }
}
