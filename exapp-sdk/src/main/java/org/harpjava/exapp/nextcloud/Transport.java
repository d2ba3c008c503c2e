package org.harpjava.exapp.nextcloud;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webclient.api.HttpClientRequest;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.WebClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Sends {@link Call}s to one Nextcloud over pooled connections: adds the AppAPI headers, retries 503 and 429 answers
 * (waiting as {@code Retry-After} says, up to a cap) and connection failures of idempotent calls, and turns failures
 * into {@link NextcloudException}s. Redirects are not followed, so credentials never travel to another host.
 */
final class Transport implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Transport.class.getName());
    private static final HeaderName EX_APP_ID = HeaderNames.create("EX-APP-ID");
    private static final HeaderName EX_APP_VERSION = HeaderNames.create("EX-APP-VERSION");
    private static final HeaderName AUTHORIZATION_APP_API = HeaderNames.create("AUTHORIZATION-APP-API");
    private static final HeaderName AA_VERSION = HeaderNames.create("AA-VERSION");
    private static final HeaderName OCS_API_REQUEST = HeaderNames.create("OCS-APIRequest");

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

    /** Reads a successful (2xx) answer. */
    @FunctionalInterface
    interface Reader<T> {
        T read(HttpClientResponse response) throws IOException;
    }

    private final String base;
    private final AppApiIdentity identity;
    private final Settings settings;
    private final WebClient client;

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
        this.client = WebClient.builder()
                .connectTimeout(settings.timeout())
                .readTimeout(settings.timeout())
                .followRedirects(false)
                .sendExpectContinue(false)
                .build();
    }

    AppApiIdentity identity() {
        return identity;
    }

    /** Sends an OCS call and returns its {@code ocs.data}. */
    JsonNode ocs(Call call, String user) {
        return send(call, user, res -> OcsEnvelope.unwrap(call.method, call.path, res.status().code(),
                res.inputStream()));
    }

    /** Sends {@code call} for {@code user} ("" for the system context) and reads its successful answer. */
    <T> T send(Call call, String user, Reader<T> reader) {
        for (int attempt = 1; ; attempt++) {
            HttpClientResponse res;
            try {
                res = execute(call, user);
            } catch (IllegalArgumentException e) {
                throw e;
            } catch (RuntimeException e) {
                if (call.idempotent && call.repeatable() && attempt < settings.maxAttempts()) {
                    Duration wait = backoff(attempt);
                    LOG.log(System.Logger.Level.DEBUG, () -> call.method + " " + call.path + " failed ("
                            + cause(e) + "); retrying in " + wait.toMillis() + " ms");
                    pause(call, wait);
                    continue;
                }
                throw new TransportException(call.method, call.path, identity.redact(cause(e)), e);
            }
            try (res) {
                int status = res.status().code();
                if ((status == 503 || status == 429) && call.repeatable() && attempt < settings.maxAttempts()) {
                    Duration asked = retryAfter(res).orElse(backoff(attempt));
                    Duration wait = asked.compareTo(settings.maxRetryDelay()) > 0 ? settings.maxRetryDelay() : asked;
                    int next = attempt + 1;
                    LOG.log(System.Logger.Level.DEBUG, () -> call.method + " " + call.path + " answered " + status
                            + "; attempt " + next + " of " + settings.maxAttempts() + " in " + wait.toMillis() + " ms");
                    pause(call, wait);
                    continue;
                }
                if (status < 200 || status > 299) {
                    throw failure(call, res, status);
                }
                try {
                    return reader.read(res);
                } catch (IOException | UncheckedIOException e) {
                    throw new TransportException(call.method, call.path, identity.redact(cause(e)), e);
                }
            }
        }
    }

    private HttpClientResponse execute(Call call, String user) {
        HttpClientRequest req = client.method(Method.create(call.method))
                .uri(URI.create(target(call)))
                .followRedirects(false)
                .readTimeout(call.dav ? settings.transferTimeout() : settings.timeout());
        if (call.appApiAuth) {
            req.header(EX_APP_ID, identity.appId())
                    .header(EX_APP_VERSION, identity.appVersion())
                    .header(AUTHORIZATION_APP_API, identity.authorization(user))
                    .header(AA_VERSION, identity.aaVersion());
        }
        req.header(OCS_API_REQUEST, "true").header(HeaderNames.ACCEPT, "application/json");
        for (Map.Entry<String, String> h : call.headers.entrySet()) {
            req.header(HeaderNames.create(h.getKey()), h.getValue());
        }
        return switch (call.body) {
            case Body.None none -> req.request();
            case Body.Bytes bytes -> {
                req.header(HeaderNames.CONTENT_TYPE, bytes.contentType());
                yield req.submit(bytes.data());
            }
            case Body.Streamed streamed -> {
                req.header(HeaderNames.CONTENT_TYPE, streamed.contentType());
                if (streamed.length() >= 0) {
                    req.header(HeaderNames.CONTENT_LENGTH, Long.toString(streamed.length()));
                }
                yield req.outputStream(out -> {
                    streamed.writer().writeTo(out);
                    out.close();
                });
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

    private NextcloudException failure(Call call, HttpClientResponse res, int status) {
        byte[] body;
        try {
            body = OcsEnvelope.readAtMost(res.inputStream(), OcsEnvelope.MAX_ERROR);
        } catch (IOException | RuntimeException e) {
            body = new byte[0];
        }
        OcsEnvelope.ErrorDetail detail = OcsEnvelope.describeError(body);
        return OcsEnvelope.failure(call.method, call.path, status, detail.ocsStatus(),
                identity.redact(detail.message()), retryAfter(res).orElse(null));
    }

    private static Optional<Duration> retryAfter(HttpClientResponse res) {
        return res.headers().first(HeaderNames.RETRY_AFTER).flatMap(v -> RetryAfter.parse(v, Instant.now()));
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
        client.closeResource();
    }
}
