package org.harpjava.server.observe;

import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.FunctionalCounter;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.Meter;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Tag;
import io.helidon.metrics.api.Timer;
import org.harpjava.server.registry.ExAppRegistry;
import org.harpjava.server.registry.UserResolver;
import org.harpjava.server.security.BruteForceGuard;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The proxy's Prometheus metrics: requests by app and outcome, upstream latency by app, cache hits and misses,
 * bans, and tunnels (open by app, closed by app and reason, bytes by app and direction). The {@code app} tag only ever names apps the proxy knows ({@value #UNKNOWN_APP} otherwise), so a
 * client cannot grow the number of series. Meters live in Helidon's global registry (the one its metrics endpoint
 * serves) and are removed again by {@link #close()}.
 */
public final class HarpMetrics implements AutoCloseable {
    /** Tag value for requests that name no known app. */
    public static final String UNKNOWN_APP = "-";

    private static final String SCOPE = "vendor";
    private static final Duration[] BUCKETS = {Duration.ofNanos(250_000), Duration.ofNanos(500_000),
            Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10),
            Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
            Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5),
            Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60)};
    private final MeterRegistry registry;
    private final Map<String, Counter> requests = new ConcurrentHashMap<>();
    private final Map<String, Timer> latency = new ConcurrentHashMap<>();
    private final Counter bans;
    private final Map<String, java.util.concurrent.atomic.AtomicLong> openTunnels = new ConcurrentHashMap<>();
    private final Map<String, Counter> tunnelCloses = new ConcurrentHashMap<>();
    private final Map<String, Counter> tunnelBytes = new ConcurrentHashMap<>();
    private final Map<String, Counter> tunnelMessages = new ConcurrentHashMap<>();
    private final Map<String, Counter> tunnelCloseCodes = new ConcurrentHashMap<>();
    private final List<Meter> created = new CopyOnWriteArrayList<>();

    public HarpMetrics(MeterRegistry registry, ExAppRegistry exapps, UserResolver users, BruteForceGuard guard) {
        this.registry = registry;
        this.bans = create(Counter.builder("harp_bans").scope(SCOPE)
                .description("Client addresses banned after repeated failures"));
        cacheCounter("exapp", "hit", exapps, ExAppRegistry::hits);
        cacheCounter("exapp", "miss", exapps, ExAppRegistry::misses);
        cacheCounter("session", "hit", users, UserResolver::hits);
        cacheCounter("session", "miss", users, UserResolver::misses);
        create(Gauge.builder("harp_exapp_cache_size", exapps, e -> (double) e.size()).scope(SCOPE)
                .description("ExApps in the metadata cache"));
        create(Gauge.builder("harp_failure_table_size", guard, g -> (double) g.trackedAddresses())
                .scope(SCOPE).description("Client addresses with failures on record"));
    }

    private <T> void cacheCounter(String cache, String result, T source, java.util.function.Function<T, Long> fn) {
        create(FunctionalCounter.builder("harp_cache_lookups", source, fn).scope(SCOPE)
                .tags(List.of(Tag.create("cache", cache), Tag.create("result", result)))
                .description("Cache lookups by cache and result"));
    }

    private <B extends Meter.Builder<B, M>, M extends Meter> M create(B builder) {
        M meter = registry.getOrCreate(builder);
        created.add(meter);
        return meter;
    }

    /** Removes this server's meters from the registry. */
    @Override
    public void close() {
        created.forEach(registry::remove);
        created.clear();
    }

    /** Counts one request to {@code app} (a known app id or {@link #UNKNOWN_APP}) with {@code outcome}. */
    public void request(String app, String outcome) {
        requests.computeIfAbsent(app + '\n' + outcome, k -> create(Counter.builder("harp_requests")
                .scope(SCOPE)
                .tags(List.of(Tag.create("app", app), Tag.create("outcome", outcome)))
                .description("Requests by ExApp and outcome"))).increment();
    }

    /** Records the time an ExApp took to answer with its status line and headers. */
    public void upstreamLatency(String app, long nanos) {
        latency.computeIfAbsent(app, a -> create(Timer.builder("harp_upstream_latency")
                .scope(SCOPE)
                .tags(List.of(Tag.create("app", a)))
                .buckets(BUCKETS)
                .description("Time from forwarding a request to the ExApp's response headers")))
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    public void ban() {
        bans.increment();
    }

    /** Counts one more open tunnel (upgraded connection) to {@code app}. */
    public void tunnelOpened(String app) {
        openTunnels.computeIfAbsent(app, a -> {
            java.util.concurrent.atomic.AtomicLong n = new java.util.concurrent.atomic.AtomicLong();
            create(Gauge.builder("harp_tunnels_open", n, v -> (double) v.get()).scope(SCOPE)
                    .tags(List.of(Tag.create("app", a)))
                    .description("Open tunnels (WebSockets and other upgraded connections) by ExApp"));
            return n;
        }).incrementAndGet();
    }

    /** Counts a tunnel to {@code app} closed for {@code reason}. */
    public void tunnelClosed(String app, String reason) {
        java.util.concurrent.atomic.AtomicLong open = openTunnels.get(app);
        if (open != null) {
            open.decrementAndGet();
        }
        tunnelCloses.computeIfAbsent(app + '\n' + reason, k -> create(Counter.builder("harp_tunnels_closed")
                .scope(SCOPE)
                .tags(List.of(Tag.create("app", app), Tag.create("reason", reason)))
                .description("Tunnels closed by ExApp and reason"))).increment();
    }

    /** The counter of bytes relayed through tunnels to {@code app} in {@code direction} (to_exapp, to_client). */
    public Counter tunnelBytes(String app, String direction) {
        return tunnelBytes.computeIfAbsent(app + '\n' + direction, k -> create(Counter.builder("harp_tunnel_bytes")
                .scope(SCOPE)
                .tags(List.of(Tag.create("app", app), Tag.create("direction", direction)))
                .description("Bytes relayed through tunnels by ExApp and direction")));
    }

    /** The counter of WebSocket messages relayed through tunnels to {@code app} in {@code direction}. */
    public Counter tunnelMessages(String app, String direction) {
        return tunnelMessages.computeIfAbsent(app + '\n' + direction, k -> create(Counter.builder("harp_tunnel_messages")
                .scope(SCOPE)
                .tags(List.of(Tag.create("app", app), Tag.create("direction", direction)))
                .description("WebSocket messages relayed through tunnels by ExApp and direction")));
    }

    /**
     * Counts a WebSocket close frame with status {@code code} relayed to {@code app} in {@code direction}. Codes
     * outside the registered range 1000-1015 are counted by range, so a client cannot grow the series at will.
     */
    public void tunnelCloseCode(String app, String direction, int code) {
        String label = code >= 1000 && code <= 1015 ? Integer.toString(code)
                : code >= 3000 && code <= 3999 ? "3xxx" : code >= 4000 && code <= 4999 ? "4xxx" : "invalid";
        tunnelCloseCodes.computeIfAbsent(app + '\n' + direction + '\n' + label, k -> create(
                Counter.builder("harp_tunnel_close_codes").scope(SCOPE)
                        .tags(List.of(Tag.create("app", app), Tag.create("direction", direction),
                                Tag.create("code", label)))
                        .description("WebSocket close frames relayed by ExApp, direction and status code")))
                .increment();
    }
}
