package org.harpjava.server.proxy;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.buffers.DataReader;
import io.helidon.common.buffers.DataWriter;
import io.helidon.common.concurrency.limits.Limit;
import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.metrics.api.Counter;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.spi.ServerConnection;
import org.harpjava.server.decision.ForwardedHeaders;
import org.harpjava.server.listener.ClientConnectionSelector;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One upgraded client connection: the handshake with the ExApp, then bytes copied both ways until either side
 * ends (see {@link Tunnels} for the design). The connection's own thread copies client to ExApp; a virtual thread
 * copies ExApp to client. Both sockets are closed when the tunnel ends, whatever ends it.
 */
final class Tunnel implements ServerConnection {
    private static final System.Logger LOG = System.getLogger(Tunnel.class.getName());
    /** A connection already answered (a refusal): Helidon closes it when this returns. */
    static final ServerConnection DONE = new ServerConnection() {
        @Override
        public void handle(Semaphore requestSemaphore) {
        }

        @Override
        public void handle(Limit limit) {
        }

        @Override
        public Duration idleTime() {
            return Duration.ZERO;
        }

        @Override
        public void close(boolean interrupt) {
        }
    };
    private static final int HANDSHAKE_BUFFER = 2048;
    private static final int COPY_BUFFER = 8192;
    /** The most the ExApp-to-client direction takes in one read: what already arrived, up to this. */
    private static final int MAX_CHUNK = 64 * 1024;
    private static final Set<String> NOT_ON_101 = Set.of("content-length", "transfer-encoding", "keep-alive",
            "proxy-connection");

    private final Tunnels tunnels;
    private final ConnectionContext ctx;
    private final Decision.Forward forward;
    private final String method;
    private final String upgrade;
    private final AtomicReference<String> reason = new AtomicReference<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile UpstreamConnection upstream;
    private volatile long lastActivity = System.nanoTime();
    private volatile long halfClosedSince;
    /** Guards writes to the client, which come from both directions' threads. */
    private final java.util.concurrent.locks.ReentrantLock clientWrite = new java.util.concurrent.locks.ReentrantLock();
    private final FrameTracker downFrames;
    private boolean proxyClosedClient;

    Tunnel(Tunnels tunnels, ConnectionContext ctx, Decision.Forward forward, String method, String upgrade) {
        this.tunnels = tunnels;
        this.ctx = ctx;
        this.forward = forward;
        this.method = method;
        this.upgrade = upgrade;
        this.downFrames = new FrameTracker(0, events(forward.app(), "to_client"));
    }

    /** Metrics of the frames going {@code direction}. */
    private FrameTracker.Events events(String app, String direction) {
        Counter messages = tunnels.metrics.tunnelMessages(app, direction);
        return new FrameTracker.Events() {
            @Override
            public void message() {
                messages.increment();
            }

            @Override
            public void close(int code) {
                tunnels.metrics.tunnelCloseCode(app, direction, code);
            }
        };
    }

    String app() {
        return forward.app();
    }

    long lastActivity() {
        return lastActivity;
    }

    long halfClosedSince() {
        return halfClosedSince;
    }

    @Override
    public void handle(Semaphore requestSemaphore) throws InterruptedException {
        run();
    }

    @Override
    public void handle(Limit limit) throws InterruptedException {
        run();
    }

    private void run() throws InterruptedException {
        ResponseHead answer = handshake();
        if (answer == null) {
            return;
        }
        String app = forward.app();
        ClientConnectionSelector.exemptFromClientTimeout(ctx);
        tunnels.opened(this);
        tunnels.metrics.tunnelOpened(app);
        try {
            upstream.untimed();
            Counter down = tunnels.metrics.tunnelBytes(app, "to_client");
            Thread downstream = Thread.ofVirtual().name("harp-tunnel-" + app).start(() -> copyDown(down));
            copyUp(tunnels.metrics.tunnelBytes(app, "to_exapp"));
            downstream.join();
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "Tunnel to " + app + " failed", e);
            end("error");
        } finally {
            end("closed");
            tunnels.closed(this);
            tunnels.metrics.tunnelClosed(app, reason.get());
        }
    }

    /**
     * Sends the handshake and relays the ExApp's answer head. Returns the 101 answer, or null when the client got
     * another answer (or an error) and the connection is done.
     */
    private ResponseHead handshake() {
        UpstreamClient.Plan plan = forward.plan();
        List<Header> headers = new ArrayList<>(plan.headers().size() + 2);
        headers.addAll(plan.headers());
        headers.add(HeaderValues.create(HeaderNames.CONNECTION, "Upgrade"));
        headers.add(HeaderValues.create(HeaderNames.UPGRADE, upgrade));
        long start = System.nanoTime();
        UpstreamConnection conn = null;
        ResponseHead answer;
        try {
            byte[] head = UpstreamClient.requestHead(method, new UpstreamClient.Plan(plan.host(), plan.port(),
                    plan.target(), headers), false, -1);
            conn = UpstreamConnection.open(plan.host(), plan.port(), plan.host() + ' ' + plan.port(),
                    tunnels.connectTimeout, tunnels.handshakeReads, HANDSHAKE_BUFFER);
            conn.out.write(head);
            conn.out.flush();
            do {
                answer = ResponseHead.read(conn.in);
            } while (answer.status() < 200 && answer.status() != 101);
        } catch (UpstreamClient.ForwardException e) {
            close(conn);
            refuse(tunnels.gateway.failed(forward, e));
            return null;
        } catch (IOException | RuntimeException e) {
            close(conn);
            refuse(tunnels.gateway.failed(forward, new UpstreamClient.ForwardException(UpstreamFailure.of(e), e)));
            return null;
        }
        tunnels.metrics.upstreamLatency(forward.app(), System.nanoTime() - start);
        tunnels.gateway.answered(forward, answer.status());
        if (answer.status() != 101) {
            tunnels.metrics.request(forward.app(), "forwarded");
            relay(conn, answer);
            return null;
        }
        StringBuilder b = new StringBuilder(256);
        b.append("HTTP/1.1 101 ").append(answer.reason().isEmpty() ? "Switching Protocols" : answer.reason())
                .append("\r\n");
        for (String[] h : answer.headers()) {
            if (!NOT_ON_101.contains(h[0].toLowerCase(Locale.ROOT))) {
                b.append(h[0]).append(": ").append(h[1]).append("\r\n");
            }
        }
        b.append("\r\n");
        try {
            ctx.dataWriter().writeNow(BufferData.create(b.toString().getBytes(StandardCharsets.ISO_8859_1)));
        } catch (RuntimeException e) {
            close(conn);
            tunnels.metrics.request(forward.app(), "client_aborted");
            return null;
        }
        tunnels.metrics.request(forward.app(), "upgraded");
        upstream = conn;
        return answer;
    }

    private void refuse(UpstreamFailure failure) {
        try {
            ctx.dataWriter().writeNow(BufferData.create(Tunnels.plainResponse(failure.status, failure.message, 0)));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "Client left before its refusal", e);
        }
    }

    /** Relays an answer other than 101 as a response that closes the connection. */
    private void relay(UpstreamConnection conn, ResponseHead answer) {
        try (conn) {
            StringBuilder b = new StringBuilder(512);
            b.append("HTTP/1.1 ").append(answer.status()).append(' ').append(answer.reason()).append("\r\n");
            Set<String> tokens = UpstreamClient.connectionTokens(answer);
            for (String[] h : answer.headers()) {
                if (ForwardedHeaders.toClient(h[0].toLowerCase(Locale.ROOT), tokens)) {
                    b.append(h[0]).append(": ").append(h[1]).append("\r\n");
                }
            }
            boolean bodiless = "HEAD".equals(method) || answer.status() == 204 || answer.status() == 304;
            if (!bodiless && answer.contentLength() >= 0) {
                b.append("Content-Length: ").append(answer.contentLength()).append("\r\n");
            }
            b.append("Connection: close\r\n\r\n");
            OutputStream out = new BufferedOutputStream(new ClientOutput(ctx.dataWriter()), COPY_BUFFER);
            out.write(b.toString().getBytes(StandardCharsets.ISO_8859_1));
            if (!bodiless) {
                if (answer.chunked()) {
                    UpstreamClient.copyChunked(conn.in, out);
                } else if (answer.contentLength() >= 0) {
                    UpstreamClient.copyFixed(conn.in, out, answer.contentLength());
                } else {
                    UpstreamClient.copyToEnd(conn.in, out);
                }
            }
            out.flush();
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "Relaying the ExApp's refusal of an upgrade broke off", e);
        }
    }

    /** Client to ExApp, on the connection's thread, until the client ends its side or the tunnel closes. */
    private void copyUp(Counter bytes) throws IOException {
        DataReader reader = ctx.dataReader();
        OutputStream out = upstream.socket().getOutputStream();
        FrameTracker frames = new FrameTracker(tunnels.maxMessage, events(forward.app(), "to_exapp"));
        boolean relaying = true;
        while (!closed.get()) {
            try {
                if (reader.available() == 0) {
                    reader.pullData();
                }
            } catch (RuntimeException e) {
                if (!closed.get() && relaying) {
                    clientEnded(frames, out);
                }
                return;
            }
            int n = reader.available();
            byte[] chunk = reader.readBytes(n);
            lastActivity = System.nanoTime();
            if (!relaying) {
                continue;
            }
            try {
                if (!frames.relay(chunk, 0, n, out)) {
                    relaying = false;
                    tooBig(out);
                    continue;
                }
            } catch (IOException e) {
                end("exapp_error");
                return;
            }
            bytes.increment(n);
        }
    }

    /**
     * The client closed its side: the ExApp gets a close frame (1001) if the client sent none, then the end of the
     * stream, and a bounded time to finish.
     */
    private void clientEnded(FrameTracker frames, OutputStream out) {
        reason.compareAndSet(null, "client_closed");
        halfClosedSince = System.nanoTime();
        try {
            if (!frames.closeSeen() && frames.atBoundary()) {
                out.write(FrameTracker.closeFrame(1001, "client went away", true));
            }
            upstream.socket().shutdownOutput();
        } catch (IOException e) {
            end("client_closed");
        }
    }

    /**
     * A client message exceeds the limit: both ends get close 1009, nothing more is relayed to the ExApp, and what
     * the client still sends is read and dropped until the ExApp closes or the half-close time runs out.
     */
    private void tooBig(OutputStream out) {
        reason.compareAndSet(null, "message_too_big");
        LOG.log(System.Logger.Level.DEBUG, "Client message to " + forward.app() + " exceeds " + tunnels.maxMessage
                + " bytes");
        toClient(FrameTracker.closeFrame(1009, "message too big", false));
        try {
            out.write(FrameTracker.closeFrame(1009, "message too big", true));
        } catch (IOException e) {
            end("exapp_error");
        }
        halfClosedSince = System.nanoTime();
    }

    /** Sends a close frame of the proxy's own to the client, when the stream to it is between frames. */
    private void toClient(byte[] closeFrame) {
        clientWrite.lock();
        try {
            if (!proxyClosedClient && downFrames.atBoundary() && !downFrames.closeSeen()) {
                try {
                    ctx.dataWriter().writeNow(BufferData.create(closeFrame));
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.DEBUG, "Client gone before its close frame", e);
                }
            }
            proxyClosedClient = true;
        } finally {
            clientWrite.unlock();
        }
    }

    /** ExApp to client, on its own virtual thread, until the ExApp closes or the tunnel does. */
    private void copyDown(Counter bytes) {
        DataWriter writer = ctx.dataWriter();
        UpstreamInput in = upstream.in;
        OutputStream out = new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                if (len > 0) {
                    writer.writeNow(BufferData.create(Arrays.copyOfRange(b, off, off + len)));
                }
            }
        };
        while (true) {
            // Wait on a one-byte read, which fills the connection's small buffer, then take what arrived: an idle
            // tunnel holds no copy buffer of its own, which is most of what 10,000 idle sockets would cost.
            byte[] buffer;
            int n;
            try {
                int first = in.read();
                if (first < 0) {
                    exAppEnded("exapp_closed");
                    return;
                }
                int more = Math.min(in.available(), MAX_CHUNK - 1);
                buffer = new byte[1 + more];
                buffer[0] = (byte) first;
                n = 1 + (more > 0 ? in.read(buffer, 1, more) : 0);
            } catch (IOException | RuntimeException e) {
                exAppEnded("exapp_error");
                return;
            }
            try {
                clientWrite.lock();
                try {
                    if (!proxyClosedClient) {
                        downFrames.relay(buffer, 0, n, out);
                    }
                } finally {
                    clientWrite.unlock();
                }
            } catch (IOException | RuntimeException e) {
                end("client_error");
                return;
            }
            lastActivity = System.nanoTime();
            bytes.increment(n);
        }
    }

    /** The ExApp's side ended: the client gets close 1011 if the ExApp sent no close frame, then the tunnel ends. */
    private void exAppEnded(String why) {
        if (!closed.get()) {
            toClient(FrameTracker.closeFrame(1011, "ExApp connection lost", false));
        }
        end(why);
    }

    /** Ends the tunnel for {@code why} (unless it already ended for another reason): closes both sockets. */
    void end(String why) {
        reason.compareAndSet(null, why);
        if (closed.compareAndSet(false, true)) {
            close(upstream);
            try {
                ctx.serverSocket().close();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "Closing a client socket failed", e);
            }
        }
    }

    private static void close(UpstreamConnection conn) {
        if (conn != null) {
            conn.close();
        }
    }

    /** Never idle for Helidon's idle-connection sweep: the tunnel timeout is {@link Tunnels}' to apply. */
    @Override
    public Duration idleTime() {
        return Duration.ZERO;
    }

    @Override
    public void close(boolean interrupt) {
        end("shutdown");
    }

    /** Writes straight to the client connection, each write on its own buffer. */
    private static final class ClientOutput extends OutputStream {
        private final DataWriter writer;

        ClientOutput(DataWriter writer) {
            this.writer = writer;
        }

        @Override
        public void write(int b) {
            writer.writeNow(BufferData.create(new byte[] {(byte) b}));
        }

        @Override
        public void write(byte[] b, int off, int len) {
            if (len > 0) {
                writer.writeNow(BufferData.create(Arrays.copyOfRange(b, off, off + len)));
            }
        }
    }
}
