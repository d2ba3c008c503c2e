package org.harpjava.server.proxy;

import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webclient.api.TcpClientConnection;
import io.helidon.webclient.api.WebClient;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientRequest;
import io.helidon.webclient.http1.Http1ClientResponse;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import org.harpjava.server.decision.ForwardedHeaders;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Carries one request to an ExApp and its response back, streaming both bodies (fixed length or chunked) in
 * small buffers, over pooled keep-alive HTTP/1.1 connections. Output is flushed whenever the source has nothing
 * more ready, so server-sent events and other slow streams reach the client at once.
 */
public final class UpstreamClient {
    private static final int BUFFER = 16 * 1024;

    private final Http1Client client;
    private final UpstreamConnections connections;
    private final boolean keepAlive;

    /**
     * @param connectTimeout {@code HP_TIMEOUT_CONNECT}
     * @param readTimeout    {@code HP_TIMEOUT_SERVER}: the longest silence of an ExApp
     * @param poolSize       idle connections kept per ExApp
     */
    public UpstreamClient(Duration connectTimeout, Duration readTimeout, int poolSize) {
        WebClient web = WebClient.builder()
                .connectTimeout(connectTimeout)
                .readTimeout(readTimeout)
                .followRedirects(false)
                .sendExpectContinue(false)
                .keepAlive(poolSize > 0)
                .shareConnectionCache(false)
                .build();
        this.client = web.client(Http1Client.PROTOCOL);
        this.connections = new UpstreamConnections(web, readTimeout, poolSize);
        this.keepAlive = poolSize > 0;
    }

    /** Closes the idle connections. */
    public void close() {
        connections.close();
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
        String authority = plan.host().indexOf(':') >= 0 ? "[" + plan.host() + "]" : plan.host();
        long start = System.nanoTime();
        TcpClientConnection connection;
        try {
            connection = connections.open(plan.host(), plan.port());
        } catch (RuntimeException e) {
            throw new ForwardException(UpstreamFailure.of(e), e);
        }
        Http1ClientRequest up = client.method(Method.create(method))
                .connection(connection)
                .skipUriEncoding(true)
                .uri("http://" + authority + ":" + plan.port() + plan.target())
                .headers(h -> plan.headers().forEach(h::add));
        if (!keepAlive) {
            up.header(HeaderValues.CONNECTION_CLOSE);
        }

        Http1ClientResponse answer;
        try {
            if (req.content().hasEntity()) {
                req.headers().contentLength().ifPresent(len -> up.header(HeaderValues.create(HeaderNames.CONTENT_LENGTH, len)));
                answer = up.outputStream(out -> {
                    copyRequestBody(req.content().inputStream(), out);
                    out.close();
                });
            } else {
                // An empty body keeps its explicit length, which some servers require on POST and PUT.
                req.headers().contentLength().ifPresent(len -> up.header(HeaderValues.create(HeaderNames.CONTENT_LENGTH, len)));
                answer = up.request();
            }
        } catch (RuntimeException e) {
            connection.closeResource();
            throw new ForwardException(UpstreamFailure.of(e), e);
        }
        long headerNanos = System.nanoTime() - start;

        try (answer) {
            int status = answer.status().code();
            res.status(Status.create(status, answer.status().reasonPhrase()));
            Set<String> tokens = ForwardedHeaders.connectionTokens(answer.headers().values(HeaderNames.CONNECTION));
            for (Header h : answer.headers()) {
                if (ForwardedHeaders.toClient(h.name().toLowerCase(Locale.ROOT), tokens)) {
                    res.header(h);
                }
            }
            boolean bodiless = "HEAD".equals(method) || status == 204 || status == 304 || status < 200;
            if (bodiless) {
                res.send();
            } else {
                answer.headers().contentLength().ifPresent(res::contentLength);
                OutputStream out = res.outputStream();
                try (InputStream in = answer.inputStream()) {
                    copy(in, out);
                } catch (IOException | RuntimeException e) {
                    // Closing the stream would complete the response; the client must see it cut instead.
                    throw new StreamAbortedException(e);
                }
                try {
                    out.close();
                } catch (IOException | RuntimeException e) {
                    throw new StreamAbortedException(e);
                }
            }
            return new Result(status, headerNanos);
        }
    }

    /**
     * Copies the client's request body upstream. Helidon's client keeps the array of the first write by reference
     * and sends it only with the second, so that array is never reused.
     */
    private static void copyRequestBody(InputStream in, OutputStream out) throws IOException {
        byte[] buffer = new byte[BUFFER];
        boolean first = true;
        while (true) {
            int n;
            try {
                n = in.read(buffer);
            } catch (IOException | java.io.UncheckedIOException e) {
                throw new UpstreamFailure.ClientBodyException(e instanceof IOException io ? io
                        : ((java.io.UncheckedIOException) e).getCause());
            }
            if (n < 0) {
                return;
            }
            out.write(buffer, 0, n);
            if (first) {
                buffer = new byte[BUFFER];
                first = false;
            }
            if (available(in) == 0) {
                out.flush();
            }
        }
    }

    private static void copy(InputStream in, OutputStream out) throws IOException {
        byte[] buffer = new byte[BUFFER];
        int n;
        while ((n = in.read(buffer)) >= 0) {
            out.write(buffer, 0, n);
            if (available(in) == 0) {
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
