package org.harpjava.server.proxy;

import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import org.harpjava.server.decision.ForwardedHeaders;
import org.harpjava.server.io.DetachedWrites;
import org.harpjava.server.io.ReadTimeouts;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Carries one request to an ExApp and its response back over pooled keep-alive HTTP/1.1 connections, streaming
 * both bodies (fixed length or chunked) in small buffers. The request target and every header value go out
 * exactly as given; output is flushed whenever the source has nothing more ready, so server-sent events and other
 * slow streams reach the client at once.
 *
 * <p>This is a purpose-built HTTP/1.1 client rather than Helidon's WebClient: a proxy must send the client's
 * target byte for byte (the WebClient normalises it), keep a fixed-length body fixed-length, add no headers of its
 * own, and costs a third less CPU per request this way.
 */
public final class UpstreamClient implements AutoCloseable {
    private static final int BUFFER = 16 * 1024;
    private static final Duration MAX_IDLE = Duration.ofSeconds(4);
    private static final int MAX_TARGETS = 4096;
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final Duration connectTimeout;
    private final ReadTimeouts reads;
    private final ConnectionPool pool;

    /**
     * @param connectTimeout {@code HP_TIMEOUT_CONNECT}
     * @param reads          {@code HP_TIMEOUT_SERVER}: the longest silence of an ExApp
     * @param poolSize       idle connections kept per ExApp
     */
    public UpstreamClient(Duration connectTimeout, ReadTimeouts reads, int poolSize) {
        this.connectTimeout = connectTimeout;
        this.reads = reads;
        this.pool = new ConnectionPool(poolSize, MAX_TARGETS, MAX_IDLE);
    }

    /**
     * What to send upstream.
     *
     * @param host    ExApp host
     * @param port    ExApp port
     * @param target  raw path and query, as received below {@code /exapps/<appid>}
     * @param headers the request headers to send, already filtered and completed
     */
    public record Plan(String host, int port, String target, List<Header> headers) {
    }

    /** The ExApp's answer, as far as the proxy needs it. */
    public record Result(int status, long headerNanos) {
    }

    /**
     * Forwards {@code req} as {@code plan} says and streams the answer into {@code res}.
     *
     * @throws ForwardException when nothing could be sent to the client yet; the caller answers with its status
     */
    public Result forward(ServerRequest req, ServerResponse res, Plan plan) throws ForwardException {
        String method = req.prologue().method().text();
        boolean hasBody = req.content().hasEntity();
        long length = req.headers().contentLength().orElse(-1L);
        byte[] head = requestHead(method, plan, hasBody, length);
        String key = plan.host() + ' ' + plan.port();

        long start = System.nanoTime();
        UpstreamConnection conn = null;
        ResponseHead answer;
        while (true) {
            // A request without a body is retried when a reused connection turns out dead; one with a body cannot be.
            UpstreamConnection pooled = pool.acquire(key, hasBody);
            try {
                conn = pooled != null ? pooled : UpstreamConnection.open(plan.host(), plan.port(), key,
                        connectTimeout, reads);
                conn.out.write(head);
                if (hasBody) {
                    sendBody(req.content().inputStream(), conn.out, length);
                } else {
                    conn.out.flush();
                }
                answer = readFinalHead(conn.in);
                break;
            } catch (IOException | RuntimeException e) {
                if (conn != null) {
                    conn.close();
                }
                // An idle connection the ExApp closed meanwhile: try once more on a new one, if nothing was lost.
                if (pooled != null && !hasBody && (e instanceof EOFException || isReset(e))) {
                    conn = null;
                    continue;
                }
                throw new ForwardException(UpstreamFailure.of(e), e);
            }
        }
        long headerNanos = System.nanoTime() - start;

        res.status(Status.create(answer.status(), answer.reason()));
        Set<String> tokens = connectionTokens(answer);
        for (String[] h : answer.headers()) {
            String name = h[0].toLowerCase(Locale.ROOT);
            if (!name.equals("content-length") && ForwardedHeaders.toClient(name, tokens)) {
                res.headers().add(HeaderValues.create(HeaderNames.create(h[0]), h[1]));
            }
        }
        int status = answer.status();
        boolean bodiless = "HEAD".equals(method) || status == 204 || status == 304;
        // Some servers (Helidon 4.2 among them) send a body after a HEAD response anyway: never reuse that connection.
        boolean reusable = !answer.close() && !"HEAD".equals(method);
        if (bodiless) {
            if ("HEAD".equals(method) && status != 204 && status != 304 && answer.contentLength() >= 0) {
                res.contentLength(answer.contentLength());
            }
            res.send();
        } else if (!answer.chunked() && answer.contentLength() >= 0 && answer.contentLength() <= conn.in.buffered()) {
            // The whole body came with the head: answer with one write instead of a stream.
            byte[] body = new byte[(int) answer.contentLength()];
            try {
                conn.in.readNBytes(body, 0, body.length);
                res.send(body);
            } catch (IOException | RuntimeException e) {
                conn.close();
                throw new StreamAbortedException(e);
            }
        } else {
            if (answer.contentLength() >= 0) {
                res.contentLength(answer.contentLength());
            }
            OutputStream out = new DetachedWrites(res.outputStream());
            try {
                if (answer.chunked()) {
                    copyChunked(conn.in, out);
                } else if (answer.contentLength() >= 0) {
                    copyFixed(conn.in, out, answer.contentLength());
                } else {
                    copyToEnd(conn.in, out);
                    reusable = false;
                }
            } catch (IOException | RuntimeException e) {
                conn.close();
                // Closing the stream would complete the response; the client must see it cut instead.
                throw new StreamAbortedException(e);
            }
            try {
                out.close();
            } catch (IOException | RuntimeException e) {
                conn.close();
                throw new StreamAbortedException(e);
            }
        }
        if (reusable) {
            pool.release(conn);
        } else {
            conn.close();
        }
        return new Result(status, headerNanos);
    }

    static byte[] requestHead(String method, Plan plan, boolean hasBody, long length) throws ForwardException {
        HeadBytes b = new HeadBytes();
        b.text(method).text(" ").text(plan.target()).text(" HTTP/1.1\r\n");
        boolean host = false;
        for (Header h : plan.headers()) {
            host |= h.headerName().equals(HeaderNames.HOST);
            if (h.valueCount() == 1) {
                headerLine(b, h, h.get());
            } else {
                for (String v : h.allValues()) {
                    headerLine(b, h, v);
                }
            }
        }
        if (!host) {
            String authority = plan.host().indexOf(':') >= 0 ? "[" + plan.host() + "]" : plan.host();
            b.text("Host: ").text(authority).text(":").text(Integer.toString(plan.port())).text("\r\n");
        }
        if (length >= 0) {
            b.text("Content-Length: ").text(Long.toString(length)).text("\r\n");
        } else if (hasBody) {
            b.text("Transfer-Encoding: chunked\r\n");
        }
        return b.text("\r\n").toArray();
    }

    private static void headerLine(HeadBytes b, Header h, String value) throws ForwardException {
        if (!b.text(h.name()).text(": ").value(value)) {
            throw new ForwardException(UpstreamFailure.UNREACHABLE,
                    new IllegalArgumentException("line break in header " + h.name()));
        }
        b.text("\r\n");
    }

    /** A request head built as ISO-8859-1 bytes in one growing array, without intermediate strings. */
    private static final class HeadBytes {
        private byte[] bytes = new byte[512];
        private int length;

        HeadBytes text(String s) {
            int n = s.length();
            ensure(n);
            for (int i = 0; i < n; i++) {
                bytes[length++] = latin1(s.charAt(i));
            }
            return this;
        }

        /** Appends a header value; false, with nothing usable appended, when it holds a CR or LF. */
        boolean value(String s) {
            int n = s.length();
            ensure(n);
            for (int i = 0; i < n; i++) {
                char c = s.charAt(i);
                if (c == '\r' || c == '\n') {
                    return false;
                }
                bytes[length++] = latin1(c);
            }
            return true;
        }

        /** As {@code String.getBytes(ISO_8859_1)} encodes: a character beyond it becomes {@code ?}. */
        private static byte latin1(char c) {
            return c <= 0xFF ? (byte) c : (byte) '?';
        }

        private void ensure(int more) {
            if (length + more > bytes.length) {
                bytes = java.util.Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
            }
        }

        byte[] toArray() {
            return java.util.Arrays.copyOf(bytes, length);
        }
    }

    /** Reads response heads until one that is not an interim (1xx) response. */
    private static ResponseHead readFinalHead(UpstreamInput in) throws IOException {
        while (true) {
            ResponseHead head = ResponseHead.read(in);
            if (head.status() >= 200 || head.status() == 101) {
                if (head.status() == 101) {
                    throw new ResponseHead.MalformedResponseException("unexpected protocol switch");
                }
                return head;
            }
        }
    }

    static Set<String> connectionTokens(ResponseHead head) {
        Set<String> tokens = new HashSet<>();
        for (String[] h : head.headers()) {
            if (h[0].equalsIgnoreCase("connection")) {
                for (String t : h[1].split(",")) {
                    String token = t.strip().toLowerCase(Locale.ROOT);
                    if (!token.isEmpty()) {
                        tokens.add(token);
                    }
                }
            }
        }
        return tokens;
    }

    private static boolean isReset(Throwable e) {
        return e instanceof java.net.SocketException && !(e instanceof java.net.ConnectException);
    }

    /** Streams the client's body: exactly {@code length} bytes, or chunked when the length is unknown. */
    private static void sendBody(InputStream in, OutputStream out, long length) throws IOException {
        byte[] buffer = new byte[BUFFER];
        long sent = 0;
        while (true) {
            int n;
            try {
                n = in.read(buffer);
            } catch (IOException e) {
                throw new UpstreamFailure.ClientBodyException(e);
            } catch (UncheckedIOException e) {
                throw new UpstreamFailure.ClientBodyException(e.getCause());
            } catch (RuntimeException e) {
                // Helidon ends a body cut short by the client (or by HP_TIMEOUT_CLIENT) with a runtime exception.
                throw new UpstreamFailure.ClientBodyException(new IOException(e));
            }
            if (n < 0) {
                break;
            }
            if (n == 0) {
                continue;
            }
            sent += n;
            if (length < 0) {
                out.write(Integer.toHexString(n).getBytes(StandardCharsets.US_ASCII));
                out.write(CRLF);
                out.write(buffer, 0, n);
                out.write(CRLF);
            } else {
                out.write(buffer, 0, n);
            }
            if (available(in) == 0) {
                out.flush();
            }
        }
        if (length >= 0 && sent != length) {
            throw new UpstreamFailure.ClientBodyException(new EOFException("request body ended early"));
        }
        if (length < 0) {
            out.write(LAST_CHUNK);
        }
        out.flush();
    }

    static void copyFixed(InputStream in, OutputStream out, long length) throws IOException {
        byte[] buffer = new byte[(int) Math.min(BUFFER, Math.max(1, length))];
        long left = length;
        while (left > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                throw new EOFException("ExApp closed the connection " + left + " bytes before the end of the body");
            }
            out.write(buffer, 0, n);
            left -= n;
            if (left > 0 && in.available() == 0) {
                out.flush();
            }
        }
    }

    static void copyChunked(UpstreamInput in, OutputStream out) throws IOException {
        byte[] buffer = new byte[BUFFER];
        while (true) {
            String sizeLine = in.readLine(new int[] {ResponseHead.MAX_LINE}, false);
            int semicolon = sizeLine.indexOf(';');
            String hex = (semicolon >= 0 ? sizeLine.substring(0, semicolon) : sizeLine).strip();
            long size;
            try {
                size = Long.parseLong(hex, 16);
            } catch (NumberFormatException e) {
                throw new ResponseHead.MalformedResponseException("bad chunk size");
            }
            if (size < 0 || hex.length() > 15) {
                throw new ResponseHead.MalformedResponseException("bad chunk size");
            }
            if (size == 0) {
                int[] budget = {ResponseHead.MAX_HEAD};
                while (!in.readLine(budget, false).isEmpty()) {
                    // Trailers are not passed on.
                }
                return;
            }
            long left = size;
            while (left > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    throw new EOFException("ExApp closed the connection inside a chunk");
                }
                out.write(buffer, 0, n);
                left -= n;
            }
            if (!in.readLine(new int[] {2}, false).isEmpty()) {
                throw new ResponseHead.MalformedResponseException("chunk not followed by CRLF");
            }
            if (in.available() == 0) {
                out.flush();
            }
        }
    }

    static void copyToEnd(InputStream in, OutputStream out) throws IOException {
        byte[] buffer = new byte[BUFFER];
        int n;
        while ((n = in.read(buffer)) >= 0) {
            out.write(buffer, 0, n);
            if (in.available() == 0) {
                out.flush();
            }
        }
    }

    private static int available(InputStream in) {
        try {
            return in.available();
        } catch (IOException e) {
            return 0;
        }
    }

    /** Idle connections held in the pool. */
    public int idleConnections() {
        return pool.idleConnections();
    }

    @Override
    public void close() {
        pool.close();
    }

    /**
     * The response broke off after it had begun (the ExApp or the client went away); the client connection is
     * closed without completing the response, so a truncated body is never taken for a whole one.
     */
    public static final class StreamAbortedException extends RuntimeException {
        StreamAbortedException(Throwable cause) {
            super("response stream broke off: " + cause, cause, false, false);
        }
    }

    /** Forwarding failed before any byte of a response was sent. */
    public static final class ForwardException extends Exception {
        private final UpstreamFailure failure;

        ForwardException(UpstreamFailure failure, Throwable cause) {
            super(failure.message, cause);
            this.failure = failure;
        }

        UpstreamFailure failure() {
            return failure;
        }
    }
}
