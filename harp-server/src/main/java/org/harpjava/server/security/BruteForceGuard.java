package org.harpjava.server.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;

import java.time.Duration;
import java.util.Optional;

/**
 * Counts failures per client address in a sliding window and bans an address that reaches the limit
 * ({@code HP_BLACKLIST_COUNT} failures within {@code HP_BLACKLIST_WINDOW}). A ban lifts by itself once the oldest
 * failures leave the window. The table holds at most {@code maxAddresses} addresses, each at most
 * {@code limit} timestamps, so a flood from many addresses cannot grow memory without bound.
 */
public final class BruteForceGuard {
    private final int limit;
    private final long windowNanos;
    private final Ticker ticker;
    private final Cache<String, FailureWindow> failures;

    public BruteForceGuard(int limit, Duration window, long maxAddresses) {
        this(limit, window, maxAddresses, Ticker.systemTicker());
    }

    BruteForceGuard(int limit, Duration window, long maxAddresses, Ticker ticker) {
        this.limit = limit;
        this.windowNanos = window.toNanos();
        this.ticker = ticker;
        this.failures = Caffeine.newBuilder()
                .maximumSize(maxAddresses)
                .expireAfterAccess(window)
                .ticker(ticker)
                // Upkeep on the caller's thread: the default (the common pool) wakes a platform thread for it.
                .executor(Runnable::run)
                .build();
    }

    /** Whether protection is on (a limit of 0 turns it off). */
    public boolean enabled() {
        return limit > 0;
    }

    /** Records one failure against {@code address}; returns whether the address is banned now. */
    public boolean recordFailure(String address) {
        if (!enabled()) {
            return false;
        }
        FailureWindow w = failures.get(address, k -> new FailureWindow(limit));
        return w.add(ticker.read(), windowNanos);
    }

    /** How long {@code address} stays banned, or empty when it is not banned. */
    public Optional<Duration> banRemaining(String address) {
        if (!enabled()) {
            return Optional.empty();
        }
        FailureWindow w = failures.getIfPresent(address);
        return w == null ? Optional.empty() : w.banRemaining(ticker.read(), windowNanos);
    }

    /** Addresses with failures on record (approximate). */
    public long trackedAddresses() {
        return failures.estimatedSize();
    }

    /** The newest {@code limit} failure times of one address, oldest first, in a ring. */
    private static final class FailureWindow {
        private final long[] times;
        private int next;
        private int count;

        FailureWindow(int limit) {
            this.times = new long[limit];
        }

        synchronized boolean add(long now, long window) {
            times[next] = now;
            next = (next + 1) % times.length;
            count = Math.min(count + 1, times.length);
            return banRemaining(now, window).isPresent();
        }

        synchronized Optional<Duration> banRemaining(long now, long window) {
            if (count < times.length) {
                return Optional.empty();
            }
            long oldest = times[next];
            long remaining = oldest + window - now;
            return remaining > 0 ? Optional.of(Duration.ofNanos(remaining)) : Optional.empty();
        }
    }
}
