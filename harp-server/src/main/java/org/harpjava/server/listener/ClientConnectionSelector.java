package org.harpjava.server.listener;

import org.harpjava.server.io.ReadTimeouts;
import io.helidon.common.buffers.BufferData;
import io.helidon.common.buffers.DataReader;
import io.helidon.common.buffers.DataWriter;
import io.helidon.common.socket.PeerInfo;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.ListenerContext;
import io.helidon.webserver.Router;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http1.Http1ConnectionSelector;
import io.helidon.webserver.http1.spi.Http1Upgrader;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.webserver.spi.ServerConnectionSelector;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;

/**
 * The only connection selector of the ExApps listeners: every connection is HTTP/1.x, handed to Helidon's HTTP/1.1
 * handling with two additions.
 * <ul>
 *     <li>Reads are timed by {@link ReadTimeouts}, because Helidon (4.5.0 too) applies no read timeout to accepted
 *     connections ({@code HP_TIMEOUT_CLIENT}).</li>
 *     <li>HTTP/1.0 requests, which Helidon (4.5.0 too) refuses with 505, are served: nginx speaks HTTP/1.0 to its
 *     upstreams unless told otherwise ({@code proxy_http_version}), and HaRP's documented nginx set-up does not
 *     tell it. The head of such a connection's request is rewritten as HTTP/1.1 (see {@link #rewrite}); the
 *     connection then closes after one response. A head longer than the configured limits is passed on unchanged,
 *     for Helidon to refuse.</li>
 * </ul>
 * Upgrade requests (WebSockets) go to the upgraders given to it, whose connections stop being timed by
 * {@code HP_TIMEOUT_CLIENT} once they switch protocols ({@link #exemptFromClientTimeout}).
 * Being the only selector also means Helidon calls it before reading anything, so a client that connects and
 * stays silent is timed like any other.
 */
public final class ClientConnectionSelector implements ServerConnectionSelector {
    private static final String HTTP_10 = " HTTP/1.0";

    private final ServerConnectionSelector http11;
    private final ReadTimeouts idleReads;
    private final int maxPrologueLength;
    private final int maxHeadLength;

    public ClientConnectionSelector(Http1Config config, ReadTimeouts idleReads) {
        this(config, idleReads, Map.of());
    }

    /**
     * @param upgraders handlers of {@code Upgrade} requests by the exact value of their {@code Upgrade} header (as
     *                  Helidon looks them up)
     */
    public ClientConnectionSelector(Http1Config config, ReadTimeouts idleReads, Map<String, Http1Upgrader> upgraders) {
        this.http11 = Http1ConnectionSelector.builder().config(config).upgraders(upgraders).build();
        this.idleReads = idleReads;
        this.maxPrologueLength = config.maxPrologueLength();
        this.maxHeadLength = config.maxPrologueLength() + config.maxHeadersSize();
    }

    @Override
    public int bytesToIdentifyConnection() {
        return 0;
    }

    @Override
    public Support supports(BufferData request) {
        return Support.SUPPORTED;
    }

    /** {@code http/1.1}, offered in TLS negotiation (ALPN); without it clients that offer ALPN are refused. */
    @Override
    public Set<String> supportedApplicationProtocols() {
        return http11.supportedApplicationProtocols();
    }

    @Override
    public ServerConnection connection(ConnectionContext ctx) {
        ReadTimeouts.Watch watch = idleReads.watch(ctx.serverSocket().socketId(), ctx.serverSocket()::close);
        try {
            DataReader reader = new DataReader(new TimedSupply(ctx.dataReader(), watch));
            if (isHttp10(reader)) {
                byte[] head = readHead(reader);
                byte[] first = endsWithEmptyLine(head)
                        ? rewrite(new String(head, StandardCharsets.ISO_8859_1), ctx.localPeer()) : head;
                reader = new DataReader(new Prepended(first, reader));
            }
            return new WatchedConnection(http11.connection(new RewrittenContext(ctx, reader, watch)), watch);
        } catch (DataReader.InsufficientDataAvailableException e) {
            // Closed by the client or by the client timeout before a request line: routine, not worth a warning.
            watch.end();
            throw new CloseConnectionException("connection ended before a request", e);
        } catch (RuntimeException e) {
            watch.end();
            throw e;
        }
    }

    private boolean isHttp10(DataReader reader) {
        int eol = reader.findNewLine(maxPrologueLength);
        if (eol >= maxPrologueLength || eol < HTTP_10.length()) {
            return false;
        }
        return reader.getBuffer(eol).readString(eol).endsWith(HTTP_10);
    }

    /** The request line and headers up to the empty line, or as much as the limit allows. */
    private byte[] readHead(DataReader reader) {
        java.io.ByteArrayOutputStream head = new java.io.ByteArrayOutputStream(512);
        int lineStart = 0;
        while (head.size() < maxHeadLength) {
            byte b = reader.read();
            head.write(b);
            if (b == '\n') {
                int lineLength = head.size() - lineStart;
                if (lineLength <= 2 && lineStart > 0) {
                    break;
                }
                lineStart = head.size();
            }
        }
        return head.toByteArray();
    }

    private static boolean endsWithEmptyLine(byte[] b) {
        int n = b.length;
        return (n >= 4 && b[n - 4] == '\r' && b[n - 3] == '\n' && b[n - 2] == '\r') || (n >= 2 && b[n - 2] == '\n');
    }

    /**
     * The head as HTTP/1.1: version replaced, {@code Connection} and {@code Keep-Alive} replaced by
     * {@code Connection: close} (an HTTP/1.0 connection serves one request here), and {@code Host} added when
     * missing, which HTTP/1.0 allows and HTTP/1.1 does not.
     */
    static byte[] rewrite(String head, PeerInfo local) {
        String[] lines = head.split("\r?\n");
        StringBuilder out = new StringBuilder(head.length() + 48);
        String requestLine = lines[0];
        out.append(requestLine, 0, requestLine.length() - " HTTP/1.0".length()).append(" HTTP/1.1\r\n");
        boolean host = false;
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            if (line.isEmpty()) {
                continue;
            }
            int colon = line.indexOf(':');
            String name = colon < 0 ? line : line.substring(0, colon).strip();
            if (name.equalsIgnoreCase("connection") || name.equalsIgnoreCase("keep-alive")) {
                continue;
            }
            host |= name.equalsIgnoreCase("host");
            out.append(line).append("\r\n");
        }
        if (!host) {
            String h = local.host();
            out.append("Host: ").append(h.indexOf(':') >= 0 ? "[" + h + "]" : h).append(':').append(local.port())
                    .append("\r\n");
        }
        out.append("Connection: close\r\n\r\n");
        return out.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The connection's bytes, each wait for them timed. */
    private record TimedSupply(DataReader source, ReadTimeouts.Watch watch) implements java.util.function.Supplier<byte[]> {
        @Override
        public byte[] get() {
            if (source.available() == 0) {
                watch.reading();
                try {
                    source.pullData();
                } finally {
                    watch.done();
                }
            }
            return source.readBytes(source.available());
        }
    }

    /** Ends the watch of a connection when Helidon is done with it. */
    private record WatchedConnection(ServerConnection delegate, ReadTimeouts.Watch watch) implements ServerConnection {
        @Override
        public void handle(java.util.concurrent.Semaphore requestSemaphore) throws InterruptedException {
            try {
                delegate.handle(requestSemaphore);
            } finally {
                watch.end();
            }
        }

        @Override
        public void handle(io.helidon.common.concurrency.limits.Limit limit) throws InterruptedException {
            try {
                delegate.handle(limit);
            } finally {
                watch.end();
            }
        }

        @Override
        public java.time.Duration idleTime() {
            return delegate.idleTime();
        }

        @Override
        public void close(boolean interrupt) {
            delegate.close(interrupt);
        }
    }

    /** Supplies {@code first}, then whatever the connection's own reader yields. */
    private static final class Prepended implements java.util.function.Supplier<byte[]> {
        private byte[] first;
        private final DataReader rest;

        Prepended(byte[] first, DataReader rest) {
            this.first = first;
            this.rest = rest;
        }

        @Override
        public byte[] get() {
            if (first != null && first.length > 0) {
                byte[] b = first;
                first = null;
                return b;
            }
            if (rest.available() == 0) {
                rest.pullData();
            }
            return rest.readBytes(rest.available());
        }
    }

    /**
     * Stops timing the reads of a connection by {@code HP_TIMEOUT_CLIENT}: it has left HTTP (a tunnel after a
     * protocol switch), and its idleness is now someone else's to bound.
     */
    public static void exemptFromClientTimeout(ConnectionContext ctx) {
        if (ctx instanceof RewrittenContext r) {
            r.watch().end();
        }
    }

    private record RewrittenContext(ConnectionContext ctx, DataReader dataReader, ReadTimeouts.Watch watch)
            implements ConnectionContext {
        @Override
        public ListenerContext listenerContext() {
            return ctx.listenerContext();
        }

        @Override
        public ExecutorService executor() {
            return ctx.executor();
        }

        @Override
        public DataWriter dataWriter() {
            return ctx.dataWriter();
        }

        @Override
        public Router router() {
            return ctx.router();
        }

        @Override
        public java.util.Optional<io.helidon.webserver.ProxyProtocolData> proxyProtocolData() {
            return ctx.proxyProtocolData();
        }

        @Override
        public io.helidon.common.socket.HelidonSocket serverSocket() {
            return ctx.serverSocket();
        }

        @Override
        public PeerInfo remotePeer() {
            return ctx.remotePeer();
        }

        @Override
        public PeerInfo localPeer() {
            return ctx.localPeer();
        }

        @Override
        public boolean isSecure() {
            return ctx.isSecure();
        }

        @Override
        public String socketId() {
            return ctx.socketId();
        }

        @Override
        public String childSocketId() {
            return ctx.childSocketId();
        }
    }
}
