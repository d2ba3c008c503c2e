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
    private final Map<String, Deque<UpstreamConnection>> idle = new ConcurrentHashMap<>();
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
     * The most recently used live idle connection to {@code target}, or null. Connections the ExApp closed, or sent
     * bytes on, while they were idle are closed instead.
     */
    UpstreamConnection acquire(String target) {
        Deque<UpstreamConnection> deque = idle.get(target);
        if (deque == null) {
            return null;
        }
        long now = System.nanoTime();
        UpstreamConnection c;
        while ((c = deque.pollFirst()) != null) {
            size.decrementAndGet();
            if (now - c.idleSince() < maxIdleNanos && !c.stale()) {
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
        Deque<UpstreamConnection> deque = idle.get(c.target);
        if (deque == null) {
            if (idle.size() >= maxTargets) {
                c.close();
                return;
            }
            deque = idle.computeIfAbsent(c.target, t -> new ConcurrentLinkedDeque<>());
        }
        if (size.get() >= perTarget * (long) maxTargets || deque.size() >= perTarget) {
            c.close();
            return;
        }
        c.markIdle(System.nanoTime());
        size.incrementAndGet();
        deque.offerFirst(c);
        trimOldest(deque);
    }

    private void trimOldest(Deque<UpstreamConnection> deque) {
        while (deque.size() > perTarget) {
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
