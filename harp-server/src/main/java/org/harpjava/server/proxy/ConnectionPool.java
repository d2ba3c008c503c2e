package org.harpjava.server.proxy;

import java.time.Duration;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Idle keep-alive connections to ExApps, at most {@code perTarget} for each {@code host:port} and at most
 * {@code maxTargets} targets. A connection idle longer than {@code maxIdle} is closed instead of reused, so the
 * proxy does not race ExApp servers that drop idle connections after a few seconds (uvicorn: 5 s).
 */
final class ConnectionPool implements AutoCloseable {
    /** The idle connections to one target, newest first, and their number (a deque's size() walks it). */
    private record Idle(Deque<UpstreamConnection> deque, AtomicInteger count) {
        Idle() {
            this(new ConcurrentLinkedDeque<>(), new AtomicInteger());
        }

        UpstreamConnection pollFirst() {
            UpstreamConnection c = deque.pollFirst();
            if (c != null) {
                count.decrementAndGet();
            }
            return c;
        }

        UpstreamConnection pollLast() {
            UpstreamConnection c = deque.pollLast();
            if (c != null) {
                count.decrementAndGet();
            }
            return c;
        }

        void offerFirst(UpstreamConnection c) {
            count.incrementAndGet();
            deque.offerFirst(c);
        }
    }

    private final Map<String, Idle> idle = new ConcurrentHashMap<>();
    private final AtomicInteger size = new AtomicInteger();
    private final int perTarget;
    private final int maxTargets;
    private final long maxIdleNanos;

    ConnectionPool(int perTarget, int maxTargets, Duration maxIdle) {
        this.perTarget = perTarget;
        this.maxTargets = maxTargets;
        this.maxIdleNanos = maxIdle.toNanos();
    }

    /**
     * The most recently used idle connection to {@code target}, or null. Connections the ExApp sent bytes on while
     * they were idle are closed instead; with {@code checkLive}, so are the ones it closed, a check that costs more
     * system calls, which callers that can retry a request on a fresh connection skip.
     */
    UpstreamConnection acquire(String target, boolean checkLive) {
        Idle deque = idle.get(target);
        if (deque == null) {
            return null;
        }
        long now = System.nanoTime();
        UpstreamConnection c;
        while ((c = deque.pollFirst()) != null) {
            size.decrementAndGet();
            if (now - c.idleSince() < maxIdleNanos && !(checkLive ? c.stale() : c.hasUnreadBytes(now))) {
                return c;
            }
            c.close();
        }
        return null;
    }

    /** Keeps {@code c} for reuse, or closes it when the pool is full. */
    void release(UpstreamConnection c) {
        if (perTarget <= 0) {
            c.close();
            return;
        }
        Idle deque = idle.get(c.target);
        if (deque == null) {
            if (idle.size() >= maxTargets) {
                c.close();
                return;
            }
            deque = idle.computeIfAbsent(c.target, t -> new Idle());
        }
        if (size.get() >= perTarget * (long) maxTargets || deque.count().get() >= perTarget) {
            c.close();
            return;
        }
        c.markIdle(System.nanoTime());
        size.incrementAndGet();
        deque.offerFirst(c);
        trimOldest(deque);
    }

    private void trimOldest(Idle deque) {
        while (deque.count().get() > perTarget) {
            UpstreamConnection old = deque.pollLast();
            if (old == null) {
                return;
            }
            size.decrementAndGet();
            old.close();
        }
    }

    /** Idle connections held. */
    int idleConnections() {
        return size.get();
    }

    @Override
    public void close() {
        idle.values().forEach(d -> {
            UpstreamConnection c;
            while ((c = d.pollFirst()) != null) {
                size.decrementAndGet();
                c.close();
            }
        });
        idle.clear();
    }
}
