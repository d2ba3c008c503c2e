package org.harpjava.server.listener;

import io.helidon.common.socket.HelidonSocket;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Enforces {@code HP_TIMEOUT_CLIENT}: a client connection whose read has waited longer than the timeout is closed.
 * Only reads are timed (the wait for a request, its head and its body), never a response being written, so a
 * long stream such as server-sent events is not cut. Helidon (4.2 and 4.5.0 alike) applies no read timeout to
 * accepted connections, hence this sweeper: one platform thread looks at every connection a few times per timeout
 * period. On a TLS listener the handshake happens within these reads (Helidon 4.5's NIO sockets handshake on first
 * read), so a client that never completes it is timed too.
 */
public final class IdleReads implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(IdleReads.class.getName());

    private final long timeoutNanos;
    private final Set<Watch> watched = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService sweeper;

    public IdleReads(Duration timeout) {
        this.timeoutNanos = timeout.toNanos();
        Duration period = timeout.dividedBy(4);
        if (period.compareTo(Duration.ofMillis(50)) < 0) {
            period = Duration.ofMillis(50);
        } else if (period.compareTo(Duration.ofSeconds(5)) > 0) {
            period = Duration.ofSeconds(5);
        }
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "harp-client-timeout");
            t.setDaemon(true);
            return t;
        });
        sweeper.scheduleAtFixedRate(this::sweep, period.toNanos(), period.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Starts watching the reads of one connection; the caller ends the watch when the connection ends. */
    Watch watch(HelidonSocket socket) {
        Watch w = new Watch(socket);
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
                LOG.log(System.Logger.Level.DEBUG, () -> "Closing client connection " + w.socket.socketId()
                        + ": nothing received within the client timeout");
                try {
                    w.socket.close();
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.DEBUG, "Closing an idle client connection failed", e);
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
    final class Watch {
        private final HelidonSocket socket;
        private volatile long readingSince;

        private Watch(HelidonSocket socket) {
            this.socket = socket;
        }

        void reading() {
            long now = System.nanoTime();
            readingSince = now == 0 ? 1 : now;
        }

        void done() {
            readingSince = 0;
        }

        void end() {
            watched.remove(this);
        }
    }
}
