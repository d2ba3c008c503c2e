package org.harpjava.exapp.nextcloud;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends {@link Call}s to one Nextcloud over pooled HTTP/1.1 connections: adds the AppAPI headers, retries 503 and
 * 429 answers (waiting as {@code Retry-After} says, up to a cap) and connection failures of idempotent calls, and
 * turns failures into {@link NextcloudException}s. Every call has an idle timeout: it fails when no byte moved
 * either way for that long, so a stalled transfer ends however large the file. Redirects are not followed, so the
 * credentials never travel to another host.
 */
final class Transport implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Transport.class.getName());

    /** Timeouts and retry bounds. */
    record Settings(Duration timeout, Duration transferTimeout, int maxAttempts, Duration maxRetryDelay,
                    Duration initialBackoff) {
        Settings {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1");
            }
            if (timeout.isNegative() || timeout.isZero() || transferTimeout.isNegative() || transferTimeout.isZero()) {
                throw new IllegalArgumentException("timeouts must be positive");
            }
            if (maxRetryDelay.isNegative() || initialBackoff.isNegative()) {
                throw new IllegalArgumentException("retry delays must not be negative");
            }
        }
    }

    private record Result(int status, long bytes) {
    }

    private final String base;
    private final AppApiIdentity identity;
    private final Settings settings;
    private final HttpClient client;

    Transport(URI nextcloudUrl, AppApiIdentity identity, Settings settings) {
        String url = nextcloudUrl.toString();
        while (url.endsWith("/")) {
            url = url.substring(0, url.length() - 1);
        }
        if (url.endsWith("/index.php")) {
            url = url.substring(0, url.length() - "/index.php".length());
        }
        this.base = url;
        this.identity = identity;
        this.settings = settings;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.timeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    AppApiIdentity identity() {
        return identity;
    }

    /** Sends an OCS call and returns its {@code ocs.data}. */
    JsonNode ocs(Call call, String user) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        Result r = exchange(call, user, buffer, OcsEnvelope.MAX_ANSWER);
        try {
            return OcsEnvelope.unwrap(call.method, call.path, r.status(),
                    new java.io.ByteArrayInputStream(buffer.toByteArray()));
        } catch (IOException e) {
            throw new TransportException(call.method, call.path, e.getMessage(), e);
        }
    }

    /** Sends {@code call} and streams a successful answer's body into {@code out}; returns the bytes written. */
    long download(Call call, String user, OutputStream out) {
        return exchange(call, user, out, Long.MAX_VALUE).bytes();
    }

    /** Sends {@code call} and ignores a successful answer's body; returns the status. */
    int send(Call call, String user) {
        return exchange(call, user, OutputStream.nullOutputStream(), OcsEnvelope.MAX_ANSWER).status();
    }

    private Result exchange(Call call, String user, OutputStream out, long limit) {
        Duration idle = call.dav ? settings.transferTimeout() : settings.timeout();
        for (int attempt = 1; ; attempt++) {
            boolean canRetry = attempt < settings.maxAttempts() && call.repeatable();
            Activity activity = new Activity();
            ByteArrayOutputStream errorBody = new ByteArrayOutputStream();
            boolean[] answered = {false};
            HttpResponse.BodyHandler<Long> handler = info -> {
                activity.touch();
                int s = info.statusCode();
                if (s >= 200 && s <= 299) {
                    answered[0] = true;
                    return new BodySink(out, limit, true, activity);
                }
                return new BodySink(errorBody, OcsEnvelope.MAX_ERROR, false, activity);
            };
            HttpResponse<Long> response;
            try {
                response = await(client.sendAsync(request(call, user, activity), handler), activity, idle);
            } catch (BodySink.SinkException e) {
                throw new UncheckedIOException("cannot write the answer of " + call.method + " " + call.path,
                        (IOException) e.getCause());
            } catch (IOException | RuntimeException e) {
                if (e instanceof IllegalArgumentException iae) {
                    throw iae;
                }
                if (call.idempotent && canRetry && !answered[0] && !(e instanceof InterruptedIOException)) {
                    Duration wait = backoff(attempt);
                    LOG.log(System.Logger.Level.DEBUG, () -> call.method + " " + call.path + " failed ("
                            + cause(e) + "); retrying in " + wait.toMillis() + " ms");
                    pause(call, wait);
                    continue;
                }
                throw new TransportException(call.method, call.path, identity.redact(cause(e)), e);
            }
            int status = response.statusCode();
            if ((status == 503 || status == 429) && canRetry) {
                Duration asked = retryAfter(response.headers()).orElse(backoff(attempt));
                Duration wait = asked.compareTo(settings.maxRetryDelay()) > 0 ? settings.maxRetryDelay() : asked;
                int next = attempt + 1;
                LOG.log(System.Logger.Level.DEBUG, () -> call.method + " " + call.path + " answered " + status
                        + "; attempt " + next + " of " + settings.maxAttempts() + " in " + wait.toMillis() + " ms");
                pause(call, wait);
                continue;
            }
            if (status < 200 || status > 299) {
                OcsEnvelope.ErrorDetail detail = OcsEnvelope.describeError(errorBody.toByteArray());
                throw OcsEnvelope.failure(call.method, call.path, status, detail.ocsStatus(),
                        identity.redact(detail.message()), retryAfter(response.headers()).orElse(null));
            }
            return new Result(status, response.body());
        }
    }

    /** Waits for the answer while data keeps moving; cancels the exchange once it has been idle too long. */
    private static <T> T await(CompletableFuture<T> future, Activity activity, Duration idle) throws IOException {
        while (true) {
            long left = activity.last() + idle.toNanos() - System.nanoTime();
            if (left <= 0) {
                future.cancel(true);
                throw new HttpTimeoutException("no data moved for " + idle.toMillis() + " ms");
            }
            try {
                return future.get(left, TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                // data may have moved meanwhile: check again
            } catch (InterruptedException e) {
                future.cancel(true);
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for Nextcloud");
            } catch (ExecutionException e) {
                Throwable c = e.getCause();
                if (c instanceof IOException io) {
                    throw io;
                }
                if (c instanceof UncheckedIOException u) {
                    throw u.getCause();
                }
                throw new IOException(c.getClass().getSimpleName() + ": " + c.getMessage(), c);
            }
        }
    }

    private HttpRequest request(Call call, String user, Activity activity) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(target(call)))
                .method(call.method, publisher(call.body, activity));
        if (call.appApiAuth) {
            b.header("EX-APP-ID", identity.appId())
                    .header("EX-APP-VERSION", identity.appVersion())
                    .header("AUTHORIZATION-APP-API", identity.authorization(user))
                    .header("AA-VERSION", identity.aaVersion());
        }
        b.header("OCS-APIRequest", "true").header("Accept", "application/json");
        switch (call.body) {
            case Body.Bytes bytes -> b.header("Content-Type", bytes.contentType());
            case Body.Streamed streamed -> b.header("Content-Type", streamed.contentType());
            case Body.None none -> {
            }
        }
        for (Map.Entry<String, String> h : call.headers.entrySet()) {
            b.header(h.getKey(), h.getValue());
        }
        return b.build();
    }

    private static HttpRequest.BodyPublisher publisher(Body body, Activity activity) {
        return switch (body) {
            case Body.None none -> HttpRequest.BodyPublishers.noBody();
            case Body.Bytes bytes -> HttpRequest.BodyPublishers.ofByteArray(bytes.data());
            case Body.Streamed s -> {
                if (s.length() == 0) {
                    yield HttpRequest.BodyPublishers.ofByteArray(new byte[0]);
                }
                HttpRequest.BodyPublisher p = HttpRequest.BodyPublishers.ofInputStream(() -> {
                    try {
                        return activity.watch(s.source().open());
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
                yield s.length() > 0 ? HttpRequest.BodyPublishers.fromPublisher(p, s.length()) : p;
            }
        };
    }

    private String target(Call call) {
        StringBuilder b = new StringBuilder(base).append(call.path);
        char sep = '?';
        for (Map.Entry<String, String> q : call.query) {
            b.append(sep).append(URLEncoder.encode(q.getKey(), StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(q.getValue(), StandardCharsets.UTF_8));
            sep = '&';
        }
        if (call.isOcs()) {
            b.append(sep).append("format=json");
        }
        return b.toString();
    }

    private static Optional<Duration> retryAfter(HttpHeaders headers) {
        return headers.firstValue("Retry-After").flatMap(v -> RetryAfter.parse(v, Instant.now()));
    }

    private Duration backoff(int attempt) {
        Duration d = settings.initialBackoff().multipliedBy(1L << Math.min(attempt - 1, 20));
        return d.compareTo(settings.maxRetryDelay()) > 0 ? settings.maxRetryDelay() : d;
    }

    private static void pause(Call call, Duration wait) {
        try {
            Thread.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransportException(call.method, call.path, "interrupted while waiting to retry", e);
        }
    }

    private static String cause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String msg = root.getMessage();
        return root.getClass().getSimpleName() + (msg == null || msg.isBlank() ? "" : ": " + msg);
    }

    @Override
    public void close() {
        client.shutdownNow();
    }
}
