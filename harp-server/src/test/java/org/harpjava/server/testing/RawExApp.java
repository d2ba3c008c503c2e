package org.harpjava.server.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * An ExApp stand-in at the socket level, on loopback: it records every request exactly as the bytes arrived
 * (request line, header lines in order, body) and answers each with a canned or scripted raw response, keeping
 * the connection open unless that response says {@code Connection: close} or {@link #closeAfterEachResponse}
 * is set. Request bodies are read by {@code Content-Length} or chunked framing.
 */
public final class RawExApp implements AutoCloseable {
    private final ServerSocket server;
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final AtomicInteger connections = new AtomicInteger();
    private volatile Function<Received, String> script =
            r -> "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok";
    private volatile boolean closeAfterEachResponse;

    /**
     * One request as it arrived.
     *
     * @param requestLine the first line, without CRLF
     * @param headerLines the header lines in order, without CRLF
     * @param body        the body bytes (chunked framing removed)
     */
    public record Received(String requestLine, List<String> headerLines, byte[] body) {
        /** The request target of the request line. */
        public String target() {
            return requestLine.split(" ")[1];
        }

        /** Values of every header line named {@code name} (any case), in order. */
        public List<String> headers(String name) {
            List<String> out = new ArrayList<>();
            for (String line : headerLines) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).strip().equalsIgnoreCase(name)) {
                    out.add(line.substring(colon + 1).strip());
                }
            }
            return out;
        }

        /** The lower-case names of all header lines. */
        public List<String> headerNames() {
            return headerLines.stream().map(l -> l.substring(0, Math.max(0, l.indexOf(':')))
                    .strip().toLowerCase(Locale.ROOT)).toList();
        }
    }

    public RawExApp() throws IOException {
        this(InetAddress.getLoopbackAddress());
    }

    /** Listens on {@code address}, on a port the system chooses. */
    public RawExApp(InetAddress address) throws IOException {
        server = new ServerSocket(0, 50, address);
        Thread.ofVirtual().start(this::accept);
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Answers the following requests with {@code rawResponse} (status line, headers, blank line and body). */
    public void respond(String rawResponse) {
        this.script = r -> rawResponse;
    }

    /**
     * Answers each following request with the raw bytes {@code script} returns for it; {@code null} closes the
     * connection without answering.
     */
    public void respond(Function<Received, String> script) {
        this.script = script;
    }

    /** Whether to close each connection after one response without announcing it, as some servers do. */
    public void closeAfterEachResponse(boolean close) {
        this.closeAfterEachResponse = close;
    }

    /** Connections accepted so far. */
    public int connections() {
        return connections.get();
    }

    /** The next request received, waiting up to five seconds. */
    public Received next() {
        try {
            Received r = received.poll(5, TimeUnit.SECONDS);
            if (r == null) {
                throw new AssertionError("the ExApp received no request");
            }
            return r;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Whether no request arrived (and none is pending). */
    public boolean idle() {
        return received.isEmpty();
    }

    /** Forgets requests received so far. */
    public void clear() {
        received.clear();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                connections.incrementAndGet();
                Thread.ofVirtual().start(() -> serve(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            while (true) {
                String requestLine = line(in);
                if (requestLine == null) {
                    return;
                }
                List<String> headers = new ArrayList<>();
                for (String l = line(in); l != null && !l.isEmpty(); l = line(in)) {
                    headers.add(l);
                }
                Received partial = new Received(requestLine, headers, new byte[0]);
                byte[] body;
                if (partial.headers("Transfer-Encoding").stream().anyMatch(v -> v.toLowerCase(Locale.ROOT).contains("chunked"))) {
                    body = chunked(in);
                } else {
                    List<String> length = partial.headers("Content-Length");
                    body = length.isEmpty() ? new byte[0] : in.readNBytes(Integer.parseInt(length.get(0)));
                }
                Received request = new Received(requestLine, List.copyOf(headers), body);
                received.add(request);
                String answer = script.apply(request);
                if (answer == null) {
                    return;
                }
                out.write(answer.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                if (closeAfterEachResponse || answer.toLowerCase(Locale.ROOT).contains("\r\nconnection: close\r\n")) {
                    return;
                }
            }
        } catch (IOException | RuntimeException e) {
            // the peer went away
        }
    }

    private static byte[] chunked(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String size = line(in);
            if (size == null) {
                return body.toByteArray();
            }
            int n = Integer.parseInt(size.split(";")[0].strip(), 16);
            if (n == 0) {
                for (String l = line(in); l != null && !l.isEmpty(); l = line(in)) {
                    // trailer fields are ignored
                }
                return body.toByteArray();
            }
            body.write(in.readNBytes(n));
            line(in);
        }
    }

    /** One CRLF-terminated line (ISO-8859-1), or null at the end of the stream. */
    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                String l = buf.toString(StandardCharsets.ISO_8859_1);
                return l.endsWith("\r") ? l.substring(0, l.length() - 1) : l;
            }
            buf.write(b);
        }
        return buf.size() == 0 ? null : buf.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
