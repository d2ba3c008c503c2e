package org.harpjava.server.docker;

import com.fasterxml.jackson.databind.JsonNode;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTTP/1.1 client of one Docker Engine, on a unix socket, TCP, or TCP with TLS (the handshake is part of connecting,
 * with the engine's {@link EngineTls} context). Every call opens its own connection, so an engine
 * that restarted (or came up after harp-server) is reached again without any restart here; nothing is pooled.
 * Each call is timed by a {@link Watchdog}, which closes the connection when the time is up.
 */
public final class EngineClient {
    private static final System.Logger LOG = System.getLogger(EngineClient.class.getName());
    /** The alerts with which a TLS server refuses a missing or unaccepted client certificate. */
    private static final Pattern CERTIFICATE_ALERT = Pattern.compile(
            "\\b(bad_certificate|certificate_required|unknown_ca|certificate_unknown|unsupported_certificate"
                    + "|certificate_expired|certificate_revoked|access_denied|decrypt_error|handshake_failure)\\b");
    private static final Pattern VERSION = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})");
    /** How long the answer to {@code GET /version} may take during negotiation. */
    private static final Duration VERSION_TIMEOUT = Duration.ofSeconds(10);

    private final int port;
    private final EngineAddress address;
    private final Duration connectTimeout;
    private volatile String engineVersion;
    private final Set<String> logged = ConcurrentHashMap.newKeySet();

    /**
     * @param port           the number AppAPI addresses this engine by ({@code docker-engine-port})
     * @param address        where the engine listens
     * @param connectTimeout limit for opening a connection
     */
    public EngineClient(int port, EngineAddress address, Duration connectTimeout) {
        this.port = port;
        this.address = address;
        this.connectTimeout = connectTimeout;
    }

    public int port() {
        return port;
    }

    public EngineAddress address() {
        return address;
    }

    /** A request to send. Exactly one of {@code body} and {@code stream} may be set (or none). */
    public record Request(String method, String target, List<Map.Entry<String, String>> headers, byte[] body,
                          InputStream stream) {
        public static Request of(String method, String target) {
            return new Request(method, target, List.of(), null, null);
        }

        public static Request json(String method, String target, JsonNode json) {
            return new Request(method, target, List.of(Map.entry("Content-Type", "application/json")),
                    json.toString().getBytes(StandardCharsets.UTF_8), null);
        }
    }

    /**
     * Sends {@code request} and returns the response once its head arrived; the caller reads and closes it.
     *
     * @param limit the time the whole call may take, or (when {@code idle}) the longest silence
     */
    public EngineResponse send(Request request, Duration limit, boolean idle) throws EngineException {
        Connection connection = connect();
        SocketChannel channel = connection.channel();
        Watchdog watchdog = idle ? Watchdog.idle(channel, limit) : Watchdog.total(channel, limit);
        boolean handedOver = false;
        boolean answered = false;
        try {
            OutputStream out = new BufferedOutputStream(connection.out(), 16 * 1024);
            StringBuilder head = new StringBuilder(request.method()).append(' ').append(request.target())
                    .append(" HTTP/1.1\r\nHost: docker\r\nUser-Agent: harp-java\r\nConnection: close\r\n");
            for (Map.Entry<String, String> h : request.headers()) {
                head.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
            }
            if (request.body() != null) {
                head.append("Content-Length: ").append(request.body().length).append("\r\n");
            } else if (request.stream() != null) {
                head.append("Transfer-Encoding: chunked\r\n");
            } else if (request.method().equals("POST") || request.method().equals("PUT")) {
                head.append("Content-Length: 0\r\n");
            }
            head.append("\r\n");
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            if (request.body() != null) {
                out.write(request.body());
            } else if (request.stream() != null) {
                HttpStreams.writeChunked(request.stream(), out);
            }
            out.flush();
            watchdog.progress();

            InputStream in = new BufferedInputStream(connection.in(), 16 * 1024);
            int status;
            Map<String, List<String>> headers;
            do {
                String statusLine = HttpStreams.line(in);
                if (statusLine == null) {
                    throw new IOException("the engine closed the connection without answering");
                }
                answered = true;
                String[] parts = statusLine.split(" ", 3);
                if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
                    throw new IOException("not an HTTP response");
                }
                try {
                    status = Integer.parseInt(parts[1]);
                } catch (NumberFormatException e) {
                    throw new IOException("not an HTTP status: " + parts[1]);
                }
                headers = new LinkedHashMap<>();
                String line;
                int count = 0;
                while ((line = HttpStreams.line(in)) != null && !line.isEmpty()) {
                    int colon = line.indexOf(':');
                    if (colon <= 0 || ++count > 200) {
                        throw new IOException("malformed response header");
                    }
                    headers.computeIfAbsent(line.substring(0, colon).strip().toLowerCase(Locale.ROOT),
                            k -> new ArrayList<>()).add(line.substring(colon + 1).strip());
                }
            } while (status == 100);
            watchdog.progress();

            InputStream body;
            String te = headers.getOrDefault("transfer-encoding", List.of()).stream()
                    .reduce("", (a, b) -> a + "," + b).toLowerCase(Locale.ROOT);
            List<String> length = headers.get("content-length");
            if (request.method().equals("HEAD") || status == 204 || status == 304 || status < 200) {
                body = InputStream.nullInputStream();
            } else if (te.contains("chunked")) {
                body = HttpStreams.chunked(in);
            } else if (length != null && !length.isEmpty()) {
                long n;
                try {
                    n = Long.parseLong(length.getFirst());
                } catch (NumberFormatException e) {
                    throw new IOException("malformed Content-Length");
                }
                body = HttpStreams.fixed(in, n);
            } else {
                body = in;
            }
            EngineResponse response = new EngineResponse(this, status, headers, body, channel, watchdog);
            handedOver = true;
            return response;
        } catch (IOException e) {
            EngineException failure = failure(e, watchdog);
            if (!answered && isTls() && failure.kind() == EngineException.Kind.BROKEN
                    && !failure.getMessage().startsWith("TLS ")) {
                throw closedAfterHandshake(e);
            }
            throw failure;
        } finally {
            if (!handedOver) {
                watchdog.close();
                closeQuietly(channel);
            }
        }
    }

    /** Sends a request and reads its whole (small) response: status and body. */
    public Answer call(Request request, Duration limit) throws EngineException {
        try (EngineResponse res = send(request, limit, false)) {
            if (res.status() >= 200 && res.status() < 300) {
                String text = res.text();
                return new Answer(res.status(), text, "");
            }
            return new Answer(res.status(), "", res.message());
        }
    }

    /**
     * A small answer read whole.
     *
     * @param status  HTTP status
     * @param body    the body of a 2xx answer
     * @param message the engine's error message of any other answer
     */
    public record Answer(int status, String body, String message) {
    }

    /** An open connection: the channel the watchdog closes, and the streams to use (TLS ones when TLS is on). */
    private record Connection(SocketChannel channel, InputStream in, OutputStream out) {
    }

    private Connection connect() throws EngineException {
        SocketChannel channel = null;
        Watchdog watchdog = null;
        try {
            if (address instanceof EngineAddress.Unix unix) {
                channel = SocketChannel.open(StandardProtocolFamily.UNIX);
                watchdog = Watchdog.total(channel, connectTimeout);
                channel.connect(UnixDomainSocketAddress.of(unix.socket()));
            } else {
                EngineAddress.Tcp tcp = (EngineAddress.Tcp) address;
                channel = SocketChannel.open();
                watchdog = Watchdog.total(channel, connectTimeout);
                channel.connect(new InetSocketAddress(tcp.host(), tcp.port()));
                channel.socket().setTcpNoDelay(true);
                if (tcp.tls().isPresent()) {
                    SSLSocket ssl = handshake(tcp, channel, watchdog);
                    return new Connection(channel, ssl.getInputStream(), ssl.getOutputStream());
                }
            }
            return new Connection(channel, Channels.newInputStream(channel), Channels.newOutputStream(channel));
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel);
            engineVersion = null;
            throw new EngineException(EngineException.Kind.UNREACHABLE,
                    "Could not connect to Docker Engine on port " + port, e);
        } finally {
            if (watchdog != null) {
                watchdog.close();
            }
        }
    }

    /** Runs the TLS handshake on the connected {@code channel}; a failure is a 502 that says what went wrong. */
    private SSLSocket handshake(EngineAddress.Tcp tcp, SocketChannel channel, Watchdog watchdog)
            throws IOException, EngineException {
        try {
            return tcp.tls().orElseThrow().wrap(channel.socket(), tcp.host(), tcp.port());
        } catch (IOException e) {
            closeQuietly(channel);
            if (watchdog.fired()) {
                throw new EngineException(EngineException.Kind.TIMEOUT, "Timed out in the TLS handshake with"
                        + " Docker Engine on port " + port + " (" + address + ")", e);
            }
            if (e instanceof SSLException ssl) {
                throw new EngineException(EngineException.Kind.BROKEN, tlsFailure(ssl), e);
            }
            throw e;
        }
    }

    /** The failure a broken or timed-out exchange reports. */
    EngineException failure(IOException e, Watchdog watchdog) {
        if (watchdog.fired()) {
            return new EngineException(EngineException.Kind.TIMEOUT,
                    "Timed out waiting for Docker Engine on port " + port, e);
        }
        for (Throwable t = e; t != null && isTls(); t = t.getCause()) {
            if (t instanceof SSLException ssl) {
                // with TLS 1.3 an engine refuses a client certificate after the handshake, on the first read
                return new EngineException(EngineException.Kind.BROKEN, tlsFailure(ssl), e);
            }
        }
        return new EngineException(EngineException.Kind.BROKEN,
                "Docker Engine on port " + port + " broke the connection: " + e.getMessage(), e);
    }

    private static String clientCertificateHint(EngineTls tls) {
        return tls.cert().isEmpty() ? "it may require a client certificate, which is not configured"
                : "it may not accept the client certificate in " + tls.cert().get();
    }

    /**
     * An engine that refuses the client certificate under TLS 1.3 does so after the client's side of the handshake
     * is done: its alert may be lost when the request is already on its way, leaving only a reset connection.
     */
    private EngineException closedAfterHandshake(IOException e) {
        EngineTls tls = ((EngineAddress.Tcp) address).tls().orElseThrow();
        return new EngineException(EngineException.Kind.BROKEN, "TLS with Docker Engine on port " + port + " ("
                + address + ") failed: the engine closed the connection right after the handshake (" + e.getMessage()
                + "); " + clientCertificateHint(tls), e);
    }

    private boolean isTls() {
        return address instanceof EngineAddress.Tcp tcp && tcp.tls().isPresent();
    }

    /** What a failed TLS exchange means, in words: untrusted engine, wrong host name, refused client certificate. */
    private String tlsFailure(SSLException e) {
        EngineTls tls = ((EngineAddress.Tcp) address).tls().orElseThrow();
        String prefix = "TLS with Docker Engine on port " + port + " (" + address + ") failed: ";
        String detail = String.valueOf(e.getMessage());
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CertPathValidatorException || String.valueOf(t.getMessage()).startsWith("PKIX path")) {
                return prefix + "the engine's certificate is not issued by the CA in " + tls.ca();
            }
            if (t instanceof CertificateException && String.valueOf(t.getMessage()).contains("No ")
                    && String.valueOf(t.getMessage()).contains("match")) {
                return prefix + "the engine's certificate does not name " + ((EngineAddress.Tcp) address).host()
                        + " (" + t.getMessage() + ")";
            }
        }
        if (CERTIFICATE_ALERT.matcher(detail).find()) {
            return prefix + "the engine refused the connection (" + detail + "); " + clientCertificateHint(tls);
        }
        if (detail.contains("alert")) {
            return prefix + "the engine refused the connection (" + detail + ")";
        }
        if (detail.contains("Unsupported or unrecognized SSL message")) {
            return prefix + "the engine does not speak TLS on this port";
        }
        return prefix + detail;
    }

    private static void closeQuietly(SocketChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // already broken
            }
        }
    }

    /**
     * The API version to use for a client asking for {@code requested} (such as {@code 1.44}): the same when the
     * engine supports it, otherwise the highest the engine supports. The engine's version is asked once and again
     * after the engine was unreachable (it may have been upgraded meanwhile).
     */
    public String negotiate(String requested) throws EngineException {
        String engine = engineVersion;
        if (engine == null) {
            try (EngineResponse res = send(Request.of("GET", "/version"), VERSION_TIMEOUT, false)) {
                if (res.status() != 200) {
                    throw new EngineException(EngineException.Kind.BROKEN, "Docker Engine on port " + port
                            + " answered " + res.status() + " to GET /version", null);
                }
                engine = res.json().path("ApiVersion").asText("");
            }
            if (!VERSION.matcher(engine).matches()) {
                throw new EngineException(EngineException.Kind.BROKEN, "Docker Engine on port " + port
                        + " reports no valid ApiVersion", null);
            }
            engineVersion = engine;
        }
        if (compare(requested, engine) <= 0) {
            return requested;
        }
        if (logged.add(requested + ">" + engine)) {
            LOG.log(System.Logger.Level.INFO, "Docker Engine on port " + port + " (" + address + ") supports API "
                    + engine + " at most; calls for v" + requested + " are sent as v" + engine);
        }
        return engine;
    }

    /** Orders two {@code major.minor} versions. */
    static int compare(String a, String b) {
        Matcher x = VERSION.matcher(a);
        Matcher y = VERSION.matcher(b);
        if (!x.matches() || !y.matches()) {
            throw new IllegalArgumentException("not a version: " + a + ", " + b);
        }
        int major = Integer.compare(Integer.parseInt(x.group(1)), Integer.parseInt(y.group(1)));
        return major != 0 ? major : Integer.compare(Integer.parseInt(x.group(2)), Integer.parseInt(y.group(2)));
    }
}
