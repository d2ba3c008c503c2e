package org.harpjava.server.observe;

import org.harpjava.server.HarpServer;
import org.harpjava.server.testing.FakeNextcloud;
import org.harpjava.server.testing.Harp;
import org.harpjava.server.testing.Http;
import org.harpjava.server.testing.TestExApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.net.http.HttpResponse;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Prometheus metrics of the management port, as {@link HarpMetrics} defines them: requests by app and
 * outcome, upstream failures and latency, bans, cache lookups and sizes. Every check compares values before and
 * after some traffic.
 */
class MetricsTest {
    private static final String KEY = "metrics-shared-key";

    private static TestExApp exapp;
    private static FakeNextcloud nextcloud;
    private static HarpServer harp;

    @BeforeAll
    static void start() throws IOException {
        exapp = new TestExApp();
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        String routes = "[{\"url\":\"^/admin\",\"access_level\":2},{\"url\":\"^/\",\"access_level\":0}]";
        nextcloud = new FakeNextcloud(KEY)
                .app("met", "met-secret", exapp.port(), routes)
                .app("met-other", "other-secret", exapp.port(), routes)
                .app("met-down", "down-secret", closedPort, routes)
                .session("met-session", "meg", 1);
        Map<String, String> env = Harp.nextcloud(nextcloud, KEY);
        env.put("HP_BLACKLIST_COUNT", "2");
        env.put("HP_TIMEOUT_SERVER", "1s");
        harp = Harp.start(env);
    }

    @AfterAll
    static void stop() {
        harp.stop();
        nextcloud.close();
        exapp.close();
    }

    /** The value of the series {@code name} carrying all {@code labels} ({@code key="value"}), 0 when absent. */
    private static double metric(String name, String... labels) {
        HttpResponse<String> res = Http.get(harp.managementPort(), "/metrics");
        assertEquals(200, res.statusCode());
        return res.body().lines()
                .filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
                .filter(l -> java.util.Arrays.stream(labels).allMatch(l::contains))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }

    private static int status(String from, String target, String... headerLines) {
        StringBuilder req = new StringBuilder("GET " + target + " HTTP/1.1\r\nHost: cloud.example\r\n");
        for (String h : headerLines) {
            req.append(h).append("\r\n");
        }
        return Http.status(Http.exchange(address(from), InetAddress.getLoopbackAddress(), harp.port(),
                req.append("Connection: close\r\n\r\n").toString()));
    }

    @Test
    void requestsAreCountedByAppAndOutcome() {
        double forwarded = metric("harp_requests_total", "app=\"met\"", "outcome=\"forwarded\"");
        double forbidden = metric("harp_requests_total", "app=\"met\"", "outcome=\"forbidden\"");
        double unknown = metric("harp_requests_total", "app=\"-\"", "outcome=\"not_found\"");

        assertEquals(200, status("127.0.0.1", "/exapps/met/page"));
        assertEquals(200, status("127.0.0.1", "/exapps/met/status/200"));
        assertEquals(403, status("127.0.0.60", "/exapps/met/admin"));
        assertEquals(404, status("127.0.0.61", "/exapps/no-such-app/x"));

        assertEquals(forwarded + 2, metric("harp_requests_total", "app=\"met\"", "outcome=\"forwarded\""));
        assertEquals(forbidden + 1, metric("harp_requests_total", "app=\"met\"", "outcome=\"forbidden\""));
        assertEquals(unknown + 1, metric("harp_requests_total", "app=\"-\"", "outcome=\"not_found\""));
        assertEquals(0, metric("harp_requests_total", "app=\"no-such-app\""),
                "an unknown app id never becomes a label");
    }

    @Test
    void upstreamFailuresAreCounted() {
        double unreachable = metric("harp_requests_total", "app=\"met-down\"", "outcome=\"upstream_error\"");
        double timeout = metric("harp_requests_total", "app=\"met\"", "outcome=\"upstream_timeout\"");

        assertEquals(502, status("127.0.0.1", "/exapps/met-down/x"));
        assertEquals(504, status("127.0.0.1", "/exapps/met/slow?ms=2500"));

        assertEquals(unreachable + 1, metric("harp_requests_total", "app=\"met-down\"", "outcome=\"upstream_error\""));
        assertEquals(timeout + 1, metric("harp_requests_total", "app=\"met\"", "outcome=\"upstream_timeout\""));
    }

    @Test
    void upstreamLatencyIsRecorded() {
        double count = metric("harp_upstream_latency_seconds_count", "app=\"met\"");
        double sum = metric("harp_upstream_latency_seconds_sum", "app=\"met\"");
        assertEquals(200, status("127.0.0.1", "/exapps/met/slow?ms=50"));
        assertEquals(count + 1, metric("harp_upstream_latency_seconds_count", "app=\"met\""));
        assertTrue(metric("harp_upstream_latency_seconds_sum", "app=\"met\"") >= sum + 0.05);
    }

    @Test
    void bansAreCounted() {
        double bans = metric("harp_bans_total");
        double banned = metric("harp_requests_total", "outcome=\"banned\"");
        for (int i = 0; i < 2; i++) {
            assertEquals(404, status("127.0.0.62", "/exapps/no-such-app/x"));
        }
        assertEquals(429, status("127.0.0.62", "/exapps/met/page"));
        assertEquals(429, status("127.0.0.62", "/exapps/met/page"));

        assertEquals(bans + 1, metric("harp_bans_total"), "one ban, however many refused requests follow");
        assertEquals(banned + 2, metric("harp_requests_total", "outcome=\"banned\""));
        assertTrue(metric("harp_failure_table_size") >= 1);
    }

    @Test
    void cacheLookupsAndSizesChange() {
        double size = metric("harp_exapp_cache_size");
        double exappMisses = metric("harp_cache_lookups_total", "cache=\"exapp\"", "result=\"miss\"");
        double exappHits = metric("harp_cache_lookups_total", "cache=\"exapp\"", "result=\"hit\"");
        double sessionMisses = metric("harp_cache_lookups_total", "cache=\"session\"", "result=\"miss\"");
        double sessionHits = metric("harp_cache_lookups_total", "cache=\"session\"", "result=\"hit\"");

        String session = "Cookie: oc_sessionPassphrase=met-session";
        assertEquals(200, status("127.0.0.1", "/exapps/met-other/a", session));
        assertEquals(200, status("127.0.0.1", "/exapps/met-other/b", session));

        assertEquals(size + 1, metric("harp_exapp_cache_size"));
        assertEquals(exappMisses + 1, metric("harp_cache_lookups_total", "cache=\"exapp\"", "result=\"miss\""));
        assertEquals(exappHits + 1, metric("harp_cache_lookups_total", "cache=\"exapp\"", "result=\"hit\""));
        assertEquals(sessionMisses + 1, metric("harp_cache_lookups_total", "cache=\"session\"", "result=\"miss\""));
        assertEquals(sessionHits + 1, metric("harp_cache_lookups_total", "cache=\"session\"", "result=\"hit\""));
    }

    @Test
    void metricsAreServedOnTheManagementPortOnly() {
        assertEquals(404, status("127.0.0.63", "/metrics"));
        assertEquals(200, Http.get(harp.managementPort(), "/health").statusCode());
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
