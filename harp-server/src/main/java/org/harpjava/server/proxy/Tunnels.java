package org.harpjava.server.proxy;

import io.helidon.common.buffers.BufferData;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpPrologue;
import io.helidon.http.Status;
import io.helidon.http.WritableHeaders;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http1.spi.Http1Upgrader;
import io.helidon.webserver.spi.ServerConnection;
import org.harpjava.server.io.ReadTimeouts;
import org.harpjava.server.observe.HarpMetrics;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * WebSockets to ExApps: upgrade requests decided exactly as any other request, then tunnelled.
 *
 * <p>An {@code Upgrade: websocket} request reaches {@link #upgraders() the upgrader} before Helidon routes it. The
 * upgrader asks {@link ExAppGateway#decide} (the one decision path of the proxy): a refusal is answered as an
 * ordinary HTTP response (401, 403, 404, 429, 503) and the connection closed; a request for the control API is
 * left to normal routing; a request that may pass becomes a {@link Tunnel}. The tunnel sends the handshake to the
 * ExApp on a connection of its own (never pooled) with the same headers as a plain request plus
 * {@code Connection: Upgrade} and {@code Upgrade}, so the {@code Sec-WebSocket-*} headers, subprotocol and
 * extensions are negotiated end to end by the client and the ExApp. An answer other than 101 is relayed as a
 * normal response; a connection failure is a 502 or 504 before any upgrade.
 *
 * <p>After the 101 the proxy copies bytes both ways and does not re-originate frames: that keeps every frame type,
 * fragmentation, compression and close code exactly as the two ends sent them, costs no parsing, and gives
 * backpressure for free (each direction is one blocking copy through a fixed buffer, so a slow reader stalls its
 * writer's TCP window instead of growing a queue). A {@link FrameTracker} follows the frame headers of each
 * direction (never the payloads), which is enough to enforce {@code HP_WS_MAX_MESSAGE} on client messages (close
 * 1009 to both ends, before any byte of the offending frame reaches the ExApp; the size counted is the size on
 * the wire, so compressed under {@code permessage-deflate}) and to tell each end when the other vanished without
 * a close frame: the ExApp gets 1001 when the client goes, the client 1011 when the ExApp does (when the stream is
 * between frames; otherwise only the connection closes).
 *
 * <p>Timeouts, as HaRP's HAProxy applies them: a tunnel with no traffic either way for {@code HP_TIMEOUT_TUNNEL}
 * is closed (zero means never); {@code HP_TIMEOUT_CLIENT} no longer applies once the protocol switched; once the
 * client has closed its side, the ExApp has {@value #CLIENT_FIN_SECONDS} seconds to finish before both sockets are
 * closed. One platform thread sweeps the open tunnels a few times per timeout period.
 */
public final class Tunnels implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Tunnels.class.getName());
    static final int CLIENT_FIN_SECONDS = 30;
    /** The spellings of the WebSocket token Helidon may see (it looks upgraders up by the exact header value). */
    private static final List<String> WEBSOCKET = List.of("websocket", "WebSocket", "Websocket", "WEBSOCKET");

    final ExAppGateway gateway;
    final HarpMetrics metrics;
    final Duration connectTimeout;
    final ReadTimeouts handshakeReads;
    final long maxMessage;
    private final long idleNanos;
    private final long finNanos;
    private final Set<Tunnel> open = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService reaper;

    /**
     * @param connectTimeout   {@code HP_TIMEOUT_CONNECT}
     * @param handshakeReads   {@code HP_TIMEOUT_SERVER}: how long the ExApp may take to answer the handshake
     * @param idleTimeout      {@code HP_TIMEOUT_TUNNEL}; zero for none
     * @param maxMessage       {@code HP_WS_MAX_MESSAGE}: the largest data message a client may send; 0 for none
     */
    public Tunnels(ExAppGateway gateway, HarpMetrics metrics, Duration connectTimeout, ReadTimeouts handshakeReads,
                   Duration idleTimeout, long maxMessage) {
        this(gateway, metrics, connectTimeout, handshakeReads, idleTimeout, maxMessage,
                Duration.ofSeconds(CLIENT_FIN_SECONDS));
    }

    Tunnels(ExAppGateway gateway, HarpMetrics metrics, Duration connectTimeout, ReadTimeouts handshakeReads,
            Duration idleTimeout, long maxMessage, Duration finTimeout) {
        this.maxMessage = maxMessage;
        this.gateway = gateway;
        this.metrics = metrics;
        this.connectTimeout = connectTimeout;
        this.handshakeReads = handshakeReads;
        this.idleNanos = idleTimeout.isNegative() ? 0 : idleTimeout.toNanos();
        this.finNanos = finTimeout.toNanos();
        long shortest = idleNanos > 0 ? Math.min(idleNanos, finNanos) : finNanos;
        long period = Math.clamp(shortest / 4, TimeUnit.MILLISECONDS.toNanos(50), TimeUnit.SECONDS.toNanos(1));
        this.reaper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "harp-tunnel-timeout");
            t.setDaemon(true);
            return t;
        });
        reaper.scheduleAtFixedRate(this::sweep, period, period, TimeUnit.NANOSECONDS);
    }

    /** The upgraders of the ExApps listeners, keyed as Helidon looks them up. */
    public Map<String, Http1Upgrader> upgraders() {
        Http1Upgrader upgrader = new Upgrader();
        Map<String, Http1Upgrader> map = new HashMap<>();
        WEBSOCKET.forEach(token -> map.put(token, upgrader));
        return map;
    }

    /** Tunnels open now. */
    public int size() {
        return open.size();
    }

    void opened(Tunnel t) {
        open.add(t);
    }

    void closed(Tunnel t) {
        open.remove(t);
    }

    private void sweep() {
        long now = System.nanoTime();
        for (Tunnel t : open) {
            try {
                if (idleNanos > 0 && now - t.lastActivity() > idleNanos) {
                    LOG.log(System.Logger.Level.DEBUG, "Closing an idle tunnel to " + t.app());
                    t.end("idle_timeout");
                } else if (t.halfClosedSince() != 0 && now - t.halfClosedSince() > finNanos) {
                    LOG.log(System.Logger.Level.DEBUG, "Closing a half-closed tunnel to " + t.app());
                    t.end("half_close_timeout");
                }
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "Closing a tunnel failed", e);
            }
        }
    }

    /** Stops the sweeper and closes every open tunnel. */
    @Override
    public void close() {
        reaper.shutdownNow();
        for (Tunnel t : open) {
            t.end("shutdown");
        }
    }

    /** A complete {@code text/plain} response that closes the connection. */
    static byte[] plainResponse(int status, String message, long retryAfterSeconds) {
        return plainResponse(status, message, retryAfterSeconds, null);
    }

    static byte[] plainResponse(int status, String message, long retryAfterSeconds, String challenge) {
        byte[] body = (message + "\n").getBytes(StandardCharsets.UTF_8);
        StringBuilder b = new StringBuilder(256);
        b.append("HTTP/1.1 ").append(status).append(' ').append(Status.create(status).reasonPhrase()).append("\r\n")
                .append("Content-Type: text/plain; charset=utf-8\r\n")
                .append("Cache-Control: no-store\r\n")
                .append("X-Content-Type-Options: nosniff\r\n");
        if (retryAfterSeconds > 0) {
            b.append("Retry-After: ").append(retryAfterSeconds).append("\r\n");
        }
        if (challenge != null) {
            b.append("WWW-Authenticate: ").append(challenge).append("\r\n");
        }
        b.append("Content-Length: ").append(body.length).append("\r\n")
                .append("Connection: close\r\n\r\n");
        byte[] head = b.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[head.length + body.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        return all;
    }

    private final class Upgrader implements Http1Upgrader {
        @Override
        public String supportedProtocol() {
            return "websocket";
        }

        @Override
        public ServerConnection upgrade(ConnectionContext ctx, HttpPrologue prologue, WritableHeaders<?> headers) {
            Inbound in = Inbound.of(ctx, prologue, headers);
            return switch (gateway.decide(in)) {
                case Decision.Control c -> null;
                case Decision.Refuse r -> {
                    ctx.dataWriter().writeNow(BufferData.create(plainResponse(r.status(), r.message(),
                            r.retryAfterSeconds(), r.challenge())));
                    yield Tunnel.DONE;
                }
                case Decision.Forward f -> new Tunnel(Tunnels.this, ctx, f, in.method(),
                        headers.first(HeaderNames.UPGRADE).orElse("websocket"));
            };
        }
    }
}
