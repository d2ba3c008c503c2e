package org.harpjava.exapp.nextcloud;

import java.time.Duration;
import java.util.function.Supplier;

/** Capabilities fetched once and reused for a while, shared by a client and the clients derived from it. */
final class CapabilitiesCache {
    private final Duration ttl;
    private Capabilities value;
    private long fetchedAt;

    CapabilitiesCache(Duration ttl) {
        this.ttl = ttl;
    }

    synchronized Capabilities get(Supplier<Capabilities> fetch) {
        long now = System.nanoTime();
        if (value == null || now - fetchedAt >= ttl.toNanos()) {
            value = fetch.get();
            fetchedAt = now;
        }
        return value;
    }

    synchronized void invalidate() {
        value = null;
    }
}
