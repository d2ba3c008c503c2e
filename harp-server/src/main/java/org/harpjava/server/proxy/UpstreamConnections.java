package org.harpjava.server.proxy;

import io.helidon.common.tls.Tls;
import io.helidon.webclient.api.ConnectionKey;
import io.helidon.webclient.api.Proxy;
import io.helidon.webclient.api.TcpClientConnection;
import io.helidon.webclient.api.WebClient;
import io.helidon.webclient.api.WebClientConfig;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingDeque;

/**
 * Keep-alive connections to ExApps, at most {@code maxIdle} idle ones per host and port. Unlike Helidon's own
 * cache, it hands each connection to the caller, who closes it when a request fails half-way: Helidon 4.2.0 leaves
 * a connection open (and out of its cache) when the request body cannot be completed, so the ExApp would wait for
 * the rest of that body until it gives up.
 */
final class UpstreamConnections {
    private static final Tls NO_TLS = Tls.builder().enabled(false).build();

    private final WebClient web;
    private final Duration readTimeout;
    private final int maxIdle;
    private final Map<String, BlockingDeque<TcpClientConnection>> idle = new ConcurrentHashMap<>();

    UpstreamConnections(WebClient web, Duration readTimeout, int maxIdle) {
        this.web = web;
        this.readTimeout = readTimeout;
        this.maxIdle = maxIdle;
    }

    /** An idle connection to {@code host:port}, or a new one. */
    TcpClientConnection open(String host, int port) {
        BlockingDeque<TcpClientConnection> queue = idle.computeIfAbsent(host + " " + port,
                k -> new LinkedBlockingDeque<>(Math.max(1, maxIdle)));
        for (TcpClientConnection c = queue.poll(); c != null; c = queue.poll()) {
            if (c.isConnected()) {
                return c;
            }
            c.closeResource();
        }
        WebClientConfig config = web.prototype();
        ConnectionKey key = new ConnectionKey("http", host, port, readTimeout, NO_TLS, config.dnsResolver(),
                config.dnsAddressLookup(), Proxy.noProxy());
        return TcpClientConnection.create(web, key, List.of(), c -> release(queue, c), c -> { }).connect();
    }

    /** Called by Helidon when a response was read completely; false makes it close the connection. */
    private boolean release(BlockingDeque<TcpClientConnection> queue, TcpClientConnection c) {
        if (maxIdle == 0 || !c.isConnected()) {
            return false;
        }
        c.helidonSocket().idle();
        return queue.offerFirst(c);
    }

    /** Closes every idle connection. */
    void close() {
        idle.values().forEach(q -> {
            for (TcpClientConnection c = q.poll(); c != null; c = q.poll()) {
                c.closeResource();
            }
        });
    }
}
