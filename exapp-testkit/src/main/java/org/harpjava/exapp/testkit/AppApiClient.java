package org.harpjava.exapp.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Calls an ExApp as AppAPI (and HaRP) do: every request carries {@code EX-APP-ID}, {@code EX-APP-VERSION},
 * {@code AUTHORIZATION-APP-API} ({@code base64("<user>:<secret>")}, empty user for system calls), {@code AA-VERSION}
 * and a fresh {@code AA-REQUEST-ID}; with {@link Builder#viaHarp} also {@code harp-shared-key}, {@code ex-app-host}
 * and {@code ex-app-port}. It reaches the ExApp over TCP or, as HaRP's FRP tunnel does, a unix domain socket.
 *
 * <p>Instances are immutable: {@link #asUser}, {@link #unsigned}, {@link #withSecret}, {@link #withAppId},
 * {@link #withAppVersion}, {@link #withHeader} and {@link #withoutHeader} return changed copies, which is how
 * negative tests produce unsigned or wrongly signed requests. Each request uses its own connection.
 */
public final class AppApiClient {
    private final SocketAddress address;
    private final String host;
    private final String appId;
    private final String appSecret;
    private final String appVersion;
    private final String aaVersion;
    private final String user;
    private final boolean signed;
    private final Map<String, String> extraHeaders;
    private final List<String> removedHeaders;
    private final Duration timeout;

    private AppApiClient(SocketAddress address, String host, String appId, String appSecret, String appVersion,
                         String aaVersion, String user, boolean signed, Map<String, String> extraHeaders,
                         List<String> removedHeaders, Duration timeout) {
        this.address = address;
        this.host = host;
        this.appId = appId;
        this.appSecret = appSecret;
        this.appVersion = appVersion;
        this.aaVersion = aaVersion;
        this.user = user;
        this.signed = signed;
        this.extraHeaders = Map.copyOf(extraHeaders);
        this.removedHeaders = List.copyOf(removedHeaders);
        this.timeout = timeout;
    }

    /** A builder for an ExApp listening at {@code url} ({@code http://host:port}). */
    public static Builder builder(URI url, String appId, String appSecret) {
        if (!"http".equals(url.getScheme()) || url.getHost() == null) {
            throw new IllegalArgumentException("the ExApp URL must be http://host:port");
        }
        int port = url.getPort() < 0 ? 80 : url.getPort();
        return new Builder(new InetSocketAddress(url.getHost(), port), url.getHost() + ":" + port, appId, appSecret);
    }

    /** A builder for an ExApp listening on the unix socket {@code socket}, as behind HaRP's FRP tunnel. */
    public static Builder builder(Path socket, String appId, String appSecret) {
        return new Builder(UnixDomainSocketAddress.of(socket), "localhost", appId, appSecret);
    }

    private AppApiClient copy(String appId, String appSecret, String appVersion, String user, boolean signed,
                              Map<String, String> extra, List<String> removed) {
        return new AppApiClient(address, host, appId, appSecret, appVersion, aaVersion, user, signed, extra, removed,
                timeout);
    }

    /** The same client acting for Nextcloud user {@code userId} ("" for the system context). */
    public AppApiClient asUser(String userId) {
        return copy(appId, appSecret, appVersion, Objects.requireNonNull(userId), signed, extraHeaders,
                removedHeaders);
    }

    /** The same client sending none of the AppAPI headers. */
    public AppApiClient unsigned() {
        return copy(appId, appSecret, appVersion, user, false, extraHeaders, removedHeaders);
    }

    /** The same client signing with another secret. */
    public AppApiClient withSecret(String secret) {
        return copy(appId, secret, appVersion, user, signed, extraHeaders, removedHeaders);
    }

    /** The same client sending another {@code EX-APP-ID}. */
    public AppApiClient withAppId(String id) {
        return copy(id, appSecret, appVersion, user, signed, extraHeaders, removedHeaders);
    }

    /** The same client sending another {@code EX-APP-VERSION} ("" to send it empty). */
    public AppApiClient withAppVersion(String version) {
        return copy(appId, appSecret, version, user, signed, extraHeaders, removedHeaders);
    }

    /** The same client adding (or replacing) header {@code name} on every request. */
    public AppApiClient withHeader(String name, String value) {
        Map<String, String> extra = new LinkedHashMap<>(extraHeaders);
        extra.put(name, value);
        return copy(appId, appSecret, appVersion, user, signed, extra, removedHeaders);
    }

    /** The same client leaving header {@code name} out (for instance {@code AUTHORIZATION-APP-API}). */
    public AppApiClient withoutHeader(String name) {
        List<String> removed = new ArrayList<>(removedHeaders);
        removed.add(name.toLowerCase(Locale.ROOT));
        return copy(appId, appSecret, appVersion, user, signed, extraHeaders, removed);
    }

    /** The {@code AUTHORIZATION-APP-API} value this client sends. */
    public String authorization() {
        return Base64.getEncoder().encodeToString((user + ":" + appSecret).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * {@code GET /heartbeat}, which AppAPI polls until it gets 200 {@code {"status":"ok"}}. It carries this client's
     * headers, as heartbeats through HaRP do; {@code unsigned().heartbeat()} sends a bare one.
     */
    public AppApiResponse heartbeat() {
        return request("GET", "/heartbeat", Map.of(), null);
    }

    /** {@code POST /init} with an empty body, as AppAPI after deploying. */
    public AppApiResponse init() {
        return request("POST", "/init", Map.of(), new byte[0]);
    }

    /** {@code PUT /enabled?enabled=1} without a body. */
    public AppApiResponse enable() {
        return request("PUT", "/enabled?enabled=1", Map.of(), null);
    }

    /** {@code PUT /enabled?enabled=0} without a body. */
    public AppApiResponse disable() {
        return request("PUT", "/enabled?enabled=0", Map.of(), null);
    }

    /** {@code POST /trigger?providerId=...}, as TaskProcessing does when a task for the provider is scheduled. */
    public AppApiResponse trigger(String providerId) {
        return request("POST", "/trigger?providerId=" + java.net.URLEncoder.encode(providerId, StandardCharsets.UTF_8),
                Map.of(), new byte[0]);
    }

    /** {@code GET target} ({@code target} is path and query). */
    public AppApiResponse get(String target) {
        return request("GET", target, Map.of(), null);
    }

    /** {@code DELETE target}. */
    public AppApiResponse delete(String target) {
        return request("DELETE", target, Map.of(), null);
    }

    /** {@code POST target} with a JSON body. */
    public AppApiResponse postJson(String target, String json) {
        return request("POST", target, Map.of("Content-Type", "application/json"),
                json.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code PUT target} with a JSON body. */
    public AppApiResponse putJson(String target, String json) {
        return request("PUT", target, Map.of("Content-Type", "application/json"),
                json.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code POST target} with {@code body} of {@code contentType}. */
    public AppApiResponse post(String target, String contentType, byte[] body) {
        return request("POST", target, Map.of("Content-Type", contentType), body);
    }

    /**
     * Any request.
     *
     * @param target  path and query, sent as given
     * @param headers extra headers for this request
     * @param body    the body, or null for none (no {@code Content-Length})
     */
    public AppApiResponse request(String method, String target, Map<String, String> headers, byte[] body) {
        Map<String, String> all = new LinkedHashMap<>();
        if (signed) {
            all.put("EX-APP-ID", appId);
            all.put("EX-APP-VERSION", appVersion);
            all.put("AUTHORIZATION-APP-API", authorization());
            all.put("AA-VERSION", aaVersion);
            all.put("AA-REQUEST-ID", UUID.randomUUID().toString().replace("-", "").substring(0, 20));
            all.put("Accept-Language", "en");
        }
        all.putAll(extraHeaders);
        all.putAll(headers);
        List<String[]> list = new ArrayList<>();
        all.forEach((n, v) -> {
            if (!removedHeaders.contains(n.toLowerCase(Locale.ROOT))) {
                list.add(new String[]{n, v});
            }
        });
        try {
            return RawHttp.exchange(address, host, method, target, list, body, timeout);
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + target + " failed", e);
        }
    }

    @Override
    public String toString() {
        return "AppApiClient[" + address + ", appId=" + appId + ", user=" + user + ", signed=" + signed + "]";
    }

    /** Builds an {@link AppApiClient}. */
    public static final class Builder {
        private final SocketAddress address;
        private final String host;
        private final String appId;
        private final String appSecret;
        private String appVersion = "1.0.0";
        private String aaVersion = "32";
        private final Map<String, String> headers = new LinkedHashMap<>();
        private Duration timeout = Duration.ofSeconds(10);

        private Builder(SocketAddress address, String host, String appId, String appSecret) {
            this.address = address;
            this.host = host;
            this.appId = Objects.requireNonNull(appId);
            this.appSecret = Objects.requireNonNull(appSecret);
        }

        /** {@code EX-APP-VERSION}; default {@code 1.0.0}. */
        public Builder appVersion(String version) {
            this.appVersion = version;
            return this;
        }

        /** {@code AA-VERSION}; default {@code 32}, the value HaRP forces. */
        public Builder aaVersion(String version) {
            this.aaVersion = version;
            return this;
        }

        /** Adds the headers HaRP adds to the requests it forwards: the shared key and the ExApp's address. */
        public Builder viaHarp(String sharedKey, String exAppHost, int exAppPort) {
            headers.put("harp-shared-key", sharedKey);
            headers.put("ex-app-host", exAppHost);
            headers.put("ex-app-port", Integer.toString(exAppPort));
            return this;
        }

        /** How long one request may take, connection to last byte; default 10 s. */
        public Builder timeout(Duration timeout) {
            this.timeout = Objects.requireNonNull(timeout);
            return this;
        }

        /** The client, acting in the system context (empty user). */
        public AppApiClient build() {
            return new AppApiClient(address, host, appId, appSecret, appVersion, aaVersion, "", true, headers,
                    List.of(), timeout);
        }
    }
}
