package org.harpjava.server.registry;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.CacheLoader;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.LoadingCache;
import com.github.benmanes.caffeine.cache.Ticker;
import org.harpjava.server.decision.ExAppMeta;
import org.harpjava.server.nextcloud.ExAppSource;
import org.harpjava.server.nextcloud.SourceUnavailableException;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.LongAdder;

/**
 * The ExApp metadata the proxy routes by, keyed by lower-case app id.
 *
 * <ul>
 *     <li>Loaded from the {@link ExAppSource} on first use; concurrent lookups of one app share one load.</li>
 *     <li>Refreshed in the background after {@code ttl}; while the source cannot be reached the cached metadata
 *     keeps serving, for at most {@code staleLimit}.</li>
 *     <li>"Unknown app" is remembered for {@code negativeTtl}; failures to reach the source are not.</li>
 *     <li>{@link #disable(String)} (AppAPI's {@code DELETE exapp_storage}) stops serving an app until
 *     {@link #store(ExAppMeta)} brings it back; a disabled app is not reloaded from the source.</li>
 *     <li>At most {@code maxSize} apps and as many disabled ids are held.</li>
 * </ul>
 */
public final class ExAppRegistry {
    private static final System.Logger LOG = System.getLogger(ExAppRegistry.class.getName());
    private final LoadingCache<String, Entry> entries;
    private final Cache<String, Boolean> disabled;
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();

    public ExAppRegistry(ExAppSource source, Duration ttl, Duration negativeTtl, Duration staleLimit, long maxSize,
                         Executor executor) {
        this(source, ttl, negativeTtl, staleLimit, maxSize, executor, Ticker.systemTicker());
    }

    ExAppRegistry(ExAppSource source, Duration ttl, Duration negativeTtl, Duration staleLimit, long maxSize,
                  Executor executor, Ticker ticker) {
        this.entries = Caffeine.newBuilder()
                .maximumSize(maxSize)
                .refreshAfterWrite(ttl)
                .expireAfter(new EntryExpiry(negativeTtl.toNanos(), staleLimit.toNanos()))
                .executor(executor)
                .ticker(ticker)
                .build(new CacheLoader<String, Entry>() {
                    @Override
                    public Entry load(String key) {
                        return ExAppRegistry.load(source, key);
                    }

                    @Override
                    public Entry reload(String key, Entry old) {
                        try {
                            return ExAppRegistry.load(source, key);
                        } catch (SourceFailure e) {
                            // Caffeine's own report of a failed refresh is a stack trace per attempt; say it once, plainly.
                            LOG.log(System.Logger.Level.WARNING, "Cannot refresh ExApp " + key + " from Nextcloud, "
                                    + "serving the cached metadata: " + e.getMessage());
                            throw e;
                        }
                    }
                });
        this.disabled = Caffeine.newBuilder().maximumSize(maxSize).build();
    }

    /** What a lookup found. */
    public sealed interface Lookup permits Known, Unknown, Disabled, Unavailable {
    }

    /** The app and its metadata. */
    public record Known(ExAppMeta meta) implements Lookup {
    }

    /** The source does not know the app. */
    public record Unknown() implements Lookup {
    }

    /** AppAPI disabled the app. */
    public record Disabled() implements Lookup {
    }

    /** The source could not be asked. */
    public record Unavailable(String reason) implements Lookup {
    }

    /** Looks up an app by its lower-case id. */
    public Lookup find(String key) {
        if (disabled.getIfPresent(key) != null) {
            return new Disabled();
        }
        Entry cached = entries.getIfPresent(key);
        if (cached != null) {
            hits.increment();
            return cached.lookup();
        }
        misses.increment();
        try {
            return entries.get(key).lookup();
        } catch (CompletionException | SourceFailure e) {
            Throwable cause = e instanceof SourceFailure ? e : e.getCause();
            return new Unavailable(cause instanceof SourceFailure f ? f.getMessage() : String.valueOf(cause));
        }
    }

    /** The cached metadata of an app, without loading it. */
    public Optional<ExAppMeta> cached(String key) {
        Entry e = entries.getIfPresent(key);
        return e instanceof Present p && disabled.getIfPresent(key) == null ? Optional.of(p.meta()) : Optional.empty();
    }

    /** Stores metadata AppAPI pushed (app enabled) and serves the app again if it was disabled. */
    public void store(ExAppMeta meta) {
        String key = meta.appId().toLowerCase(java.util.Locale.ROOT);
        entries.put(key, new Present(meta));
        disabled.invalidate(key);
    }

    /** Stops serving an app (AppAPI disabled it); returns whether its metadata was cached. */
    public boolean disable(String key) {
        boolean wasCached = entries.getIfPresent(key) instanceof Present;
        disabled.put(key, Boolean.TRUE);
        entries.invalidate(key);
        return wasCached;
    }

    public long hits() {
        return hits.sum();
    }

    public long misses() {
        return misses.sum();
    }

    /** ExApps with metadata in the cache (not counting remembered unknown apps). */
    public long size() {
        return entries.asMap().values().stream().filter(e -> e instanceof Present).count();
    }

    private static Entry load(ExAppSource source, String key) {
        try {
            return source.fetch(key).<Entry>map(Present::new).orElse(Absent.INSTANCE);
        } catch (SourceUnavailableException e) {
            throw new SourceFailure(e.getMessage());
        }
    }

    private sealed interface Entry permits Present, Absent {
        Lookup lookup();
    }

    private record Present(ExAppMeta meta) implements Entry {
        @Override
        public Lookup lookup() {
            return new Known(meta);
        }
    }

    private enum Absent implements Entry {
        INSTANCE;

        @Override
        public Lookup lookup() {
            return new Unknown();
        }
    }

    /** Carries a source failure through the cache without caching it. */
    private static final class SourceFailure extends RuntimeException {
        SourceFailure(String message) {
            super(message, null, false, false);
        }
    }

    private record EntryExpiry(long negativeNanos, long staleNanos) implements Expiry<String, Entry> {
        @Override
        public long expireAfterCreate(String key, Entry value, long currentTime) {
            return value instanceof Absent ? negativeNanos : staleNanos;
        }

        @Override
        public long expireAfterUpdate(String key, Entry value, long currentTime, long currentDuration) {
            return expireAfterCreate(key, value, currentTime);
        }

        @Override
        public long expireAfterRead(String key, Entry value, long currentTime, long currentDuration) {
            return currentDuration;
        }
    }
}
