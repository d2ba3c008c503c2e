package org.harpjava.server.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** HTTP clients for tests: the JDK client, and raw requests over a socket for paths and headers it would alter. */
public final class Http {
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private Http() {
    }

    public static HttpClient client() {
        return CLIENT;
    }

    /** GET {@code http://127.0.0.1:port + path} with header name/value pairs. */
    public static HttpResponse<String> get(int port, String path, String... headers) {
        return send(request(port, path, headers).GET().build());
    }

    /** A request builder for {@code http://127.0.0.1:port + path} with header name/value pairs. */
    public static HttpRequest.Builder request(int port, String path, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return b;
    }

    public static HttpResponse<String> send(HttpRequest request) {
        try {
            return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Sends {@code head} (request line and headers, CRLF-separated, without the blank line) on a new connection
     * with {@code Connection: close} and returns the whole raw response.
     */
    public static String raw(int port, String head) {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write((head + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The status code of a raw response. */
    public static int status(String rawResponse) {
        return Integer.parseInt(rawResponse.substring(9, 12));
    }

    /**
     * Sends {@code head} (request line and headers, CRLF-separated, without the blank line) with
     * {@code Connection: close} from the local address {@code from} to {@code to:port}, and returns the whole raw
     * response. The client half-closes after writing, so the answer ends even if the server kept the connection.
     */
    public static String raw(InetAddress from, InetAddress to, int port, String head) {
        return exchange(from, to, port, head + "\r\nConnection: close\r\n\r\n");
    }

    /**
     * Sends {@code request} exactly as given (head, blank line and any body) from the local address {@code from}
     * to {@code to:port}, half-closes, and returns everything the server sent until it closed.
     */
    public static String exchange(InetAddress from, InetAddress to, int port, String request) {
        try (Socket s = new Socket(to, port, from, 0)) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            s.shutdownOutput();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Sends {@code request} exactly as given over loopback; see {@link #exchange(InetAddress, InetAddress, int, String)}. */
    public static String exchange(int port, String request) {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        return exchange(loopback, loopback, port, request);
    }

    /** The body of a raw response with a {@code Content-Length} or no framing (everything after the head). */
    public static String body(String rawResponse) {
        return rawResponse.substring(rawResponse.indexOf("\r\n\r\n") + 4);
    }

    /** The header lines of a raw response, without the status line. */
    public static java.util.List<String> headerLines(String rawResponse) {
        String head = rawResponse.substring(0, rawResponse.indexOf("\r\n\r\n"));
        java.util.List<String> lines = new java.util.ArrayList<>(java.util.List.of(head.split("\r\n")));
        lines.remove(0);
        return lines;
    }
}
