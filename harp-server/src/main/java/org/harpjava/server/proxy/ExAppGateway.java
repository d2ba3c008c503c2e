package org.harpjava.server.proxy;

import io.helidon.http.Header;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Headers;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import org.harpjava.server.control.ControlApi;
import org.harpjava.server.decision.AppApiSignature;
import org.harpjava.server.decision.ExAppMeta;
import org.harpjava.server.decision.ExAppPath;
import org.harpjava.server.decision.ForwardedHeaders;
import org.harpjava.server.decision.NcUser;
import org.harpjava.server.decision.Rejection;
import org.harpjava.server.decision.Route;
import org.harpjava.server.decision.RoutePolicy;
import org.harpjava.server.nextcloud.NextcloudClient;
import org.harpjava.server.nextcloud.SourceUnavailableException;
import org.harpjava.server.observe.HarpMetrics;
import org.harpjava.server.registry.ExAppRegistry;
import org.harpjava.server.registry.UserResolver;
import org.harpjava.server.security.BruteForceGuard;
import org.harpjava.server.security.Caller;
import org.harpjava.server.security.FailureRecorder;
import org.harpjava.server.security.SharedKey;
import org.harpjava.server.security.TrustedProxies;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * The handler of every request under {@code /exapps/}: finds out who the caller is, applies the decision rules
 * of {@link org.harpjava.server.decision}, and forwards what may pass to the ExApp; {@code /exapps/app_api/} goes
 * to the {@link ControlApi}.
 */
public final class ExAppGateway implements Handler {
    private static final System.Logger LOG = System.getLogger(ExAppGateway.class.getName());
    private static final HeaderName X_REAL_IP = HeaderNames.create("X-Real-IP");
    private static final HeaderName X_FORWARDED_PROTO = HeaderNames.create("X-Forwarded-Proto");
    private static final HeaderName X_FORWARDED_HOST = HeaderNames.create("X-Forwarded-Host");
    private static final HeaderName AUTHORIZATION_APP_API = HeaderNames.create("AUTHORIZATION-APP-API");
    private static final HeaderName EX_APP_ID = HeaderNames.create("EX-APP-ID");
    private static final HeaderName EX_APP_VERSION = HeaderNames.create("EX-APP-VERSION");
    private static final HeaderName AA_VERSION = HeaderNames.create("AA-VERSION");
    private static final String SESSION_COOKIE = "oc_sessionPassphrase";
    private static final Map<String, HeaderName> SIGNATURE_HEADERS = new HashMap<>();

    static {
        AppApiSignature.HEADERS.forEach(h -> SIGNATURE_HEADERS.put(h, HeaderNames.create(h)));
    }

    private final SharedKey key;
    private final TrustedProxies proxies;
    private final BruteForceGuard guard;
    private final FailureRecorder failures;
    private final ExAppRegistry registry;
    private final UserResolver users;
    private final UpstreamClient upstream;
    private final ControlApi control;
    private final HarpMetrics metrics;
    /** The AppAPI version last seen on a signed request; sent as {@code AA-VERSION} on the others. */
    private final AtomicReference<String> appApiVersion = new AtomicReference<>("32");

    public ExAppGateway(SharedKey key, TrustedProxies proxies, FailureRecorder failures, ExAppRegistry registry,
                        UserResolver users, UpstreamClient upstream, ControlApi control, HarpMetrics metrics) {
        this.key = key;
        this.proxies = proxies;
        this.failures = failures;
        this.guard = failures.guard();
        this.registry = registry;
        this.users = users;
        this.upstream = upstream;
        this.control = control;
        this.metrics = metrics;
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        Headers headers = req.headers();
        InetAddress peer = ((InetSocketAddress) req.remotePeer().address()).getAddress();
        String clientIp = proxies.clientAddress(peer, forwardedFor(headers),
                headers.first(X_REAL_IP)).getHostAddress();
        boolean trusted = headers.first(NextcloudClient.SHARED_KEY).map(key::matches).orElse(false);
        Caller caller = new Caller(clientIp, trusted);

        if (!trusted) {
            Optional<Duration> ban = guard.banRemaining(clientIp);
            if (ban.isPresent()) {
                metrics.request(HarpMetrics.UNKNOWN_APP, "banned");
                res.header(HeaderNames.RETRY_AFTER, Long.toString(Math.max(1, ban.get().toSeconds())));
                Replies.text(res, 429, "Too Many Requests: this address is blocked after repeated failures");
                return;
            }
        }

        ExAppPath.Parsed parsed = ExAppPath.parse(req.path().rawPath());
        if (parsed instanceof ExAppPath.Rejected r) {
            reject(res, caller, HarpMetrics.UNKNOWN_APP, r.rejection());
            return;
        }
        ExAppPath.Target target = (ExAppPath.Target) parsed;
        if (target.key().equals(ControlApi.APP_ID)) {
            control.handle(req, res, target.targetPath(), caller);
            return;
        }

        Function<String, String> header = name -> headers.first(SIGNATURE_HEADERS.get(name)).orElse(null);
        switch (AppApiSignature.classify(header, key)) {
            case VALID -> forwardSigned(req, res, target, header, caller);
            case BAD_KEY -> {
                LOG.log(System.Logger.Level.WARNING, "Request for ExApp " + target.appId() + " from " + clientIp
                        + " carries AppAPI headers with a wrong harp-shared-key");
                reject(res, caller, HarpMetrics.UNKNOWN_APP, Rejection.failure(401, "Unauthorized: invalid shared key"));
            }
            case NONE -> forwardUser(req, res, target, caller);
        }
    }

    /** A request AppAPI signed: no route check, metadata from Nextcloud or from the request itself. */
    private void forwardSigned(ServerRequest req, ServerResponse res, ExAppPath.Target target,
                               Function<String, String> header, Caller caller) {
        Optional<ExAppMeta> meta = registry.find(target.key()) instanceof ExAppRegistry.Known k
                ? Optional.of(k.meta()) : AppApiSignature.fallback(target.appId(), header);
        if (meta.isEmpty()) {
            reject(res, caller, HarpMetrics.UNKNOWN_APP,
                    Rejection.plain(404, "Not Found: unknown ExApp and no usable ex-app-host/ex-app-port"));
            return;
        }
        String aaVersion = req.headers().first(AA_VERSION).orElse("");
        if (aaVersion.matches("[0-9][0-9A-Za-z.+-]{0,31}")) {
            appApiVersion.set(aaVersion);
        }
        List<Header> injected = List.of(
                HeaderValues.create(AUTHORIZATION_APP_API, header.apply("authorization-app-api")),
                HeaderValues.create(EX_APP_ID, header.apply("ex-app-id")),
                HeaderValues.create(EX_APP_VERSION, header.apply("ex-app-version")),
                HeaderValues.create(AA_VERSION, aaVersion.isEmpty() ? appApiVersion.get() : aaVersion));
        forward(req, res, meta.get(), target, null, true, injected, caller);
    }

    /** A request from a browser or client: route and access checks, then the caller's identity is signed in. */
    private void forwardUser(ServerRequest req, ServerResponse res, ExAppPath.Target target, Caller caller) {
        String path = target.canonicalPath();
        if (AppApiSignature.isLifecyclePath(path)) {
            reject(res, caller, HarpMetrics.UNKNOWN_APP,
                    Rejection.failure(403, "Forbidden: only AppAPI may call " + path));
            return;
        }
        ExAppMeta meta;
        switch (registry.find(target.key())) {
            case ExAppRegistry.Known k -> meta = k.meta();
            case ExAppRegistry.Unknown u -> {
                reject(res, caller, HarpMetrics.UNKNOWN_APP, Rejection.failure(404, "Not Found: unknown ExApp"));
                return;
            }
            case ExAppRegistry.Disabled d -> {
                reject(res, caller, HarpMetrics.UNKNOWN_APP, Rejection.failure(404, "Not Found: ExApp is disabled"));
                return;
            }
            case ExAppRegistry.Unavailable u -> {
                LOG.log(System.Logger.Level.WARNING, "Cannot look up ExApp " + target.appId() + ": " + u.reason());
                reject(res, caller, HarpMetrics.UNKNOWN_APP,
                        Rejection.plain(503, "Service Unavailable: Nextcloud cannot be reached to look up this ExApp"));
                return;
            }
        }
        String app = meta.appId();
        String method = req.prologue().method().text();
        Optional<Route> route = RoutePolicy.match(meta.routes(), method, path);
        if (route.isEmpty()) {
            reject(res, caller, app, RoutePolicy.noRoute());
            return;
        }
        NcUser user;
        try {
            user = resolveUser(req, target);
        } catch (SourceUnavailableException e) {
            if (route.get().accessLevel() != org.harpjava.server.decision.AccessLevel.PUBLIC) {
                LOG.log(System.Logger.Level.WARNING, "Cannot resolve the caller of " + app + ": " + e.getMessage());
                reject(res, caller, app, Rejection.plain(503, "Service Unavailable: Nextcloud cannot verify the user"));
                return;
            }
            LOG.log(System.Logger.Level.DEBUG, "Nextcloud unavailable; serving public route of " + app + " anonymously");
            user = NcUser.ANONYMOUS;
        }
        Optional<Rejection> denied = RoutePolicy.authorize(route.get(), user);
        if (denied.isPresent()) {
            reject(res, caller, app, denied.get());
            return;
        }
        List<Header> injected = List.of(
                HeaderValues.create(AUTHORIZATION_APP_API, ForwardedHeaders.appApiAuthorization(user.userId(), meta.token())),
                HeaderValues.create(EX_APP_ID, target.appId()),
                HeaderValues.create(EX_APP_VERSION, meta.version()),
                HeaderValues.create(AA_VERSION, appApiVersion.get()));
        forward(req, res, meta, target, route.get(), false, injected, caller);
    }

    private NcUser resolveUser(ServerRequest req, ExAppPath.Target target) throws SourceUnavailableException {
        Headers headers = req.headers();
        Optional<String> authorization = headers.first(HeaderNames.AUTHORIZATION);
        Optional<String> passphrase = headers.contains(HeaderNames.COOKIE)
                ? req.headers().cookies().first(SESSION_COOKIE).asOptional() : Optional.empty();
        return users.resolve(target.key(), passphrase, authorization, headers);
    }

    private void forward(ServerRequest req, ServerResponse res, ExAppMeta meta, ExAppPath.Target target, Route route,
                         boolean signed, List<Header> injected, Caller caller) {
        Headers in = req.headers();
        Set<String> tokens = ForwardedHeaders.connectionTokens(in.values(HeaderNames.CONNECTION));
        Set<String> excluded = route == null ? Set.of() : route.headersToExclude();
        List<Header> out = new ArrayList<>(in.size() + 8);
        for (Header h : in) {
            if (ForwardedHeaders.toExApp(h.name().toLowerCase(Locale.ROOT), signed, tokens, excluded)) {
                out.add(h);
            }
        }
        out.addAll(injected);
        InetAddress peer = ((InetSocketAddress) req.remotePeer().address()).getAddress();
        boolean peerTrusted = proxies.trusts(peer);
        String host = in.first(HeaderNames.HOST).orElse("");
        if (!host.isEmpty()) {
            out.add(HeaderValues.create(HeaderNames.HOST, host));
        }
        out.add(HeaderValues.create(HeaderNames.X_FORWARDED_FOR, ForwardedHeaders.forwardedFor(peer.getHostAddress(),
                peerTrusted, forwardedFor(in).orElse(null))));
        out.add(HeaderValues.create(X_FORWARDED_PROTO, peerTrusted && in.contains(X_FORWARDED_PROTO)
                ? in.first(X_FORWARDED_PROTO).get() : req.isSecure() ? "https" : "http"));
        String fwdHost = peerTrusted && in.contains(X_FORWARDED_HOST) ? in.first(X_FORWARDED_HOST).get() : host;
        if (!fwdHost.isEmpty()) {
            out.add(HeaderValues.create(X_FORWARDED_HOST, fwdHost));
        }
        String query = req.query().rawValue();
        String targetUri = query.isEmpty() ? target.targetPath() : target.targetPath() + "?" + query;
        UpstreamClient.Plan plan = new UpstreamClient.Plan(meta.host(), meta.port(), targetUri, out);
        String app = signed ? HarpMetrics.UNKNOWN_APP : meta.appId();
        if (signed && registry.cached(target.key()).isPresent()) {
            app = meta.appId();
        }
        try {
            UpstreamClient.Result result = upstream.forward(req, res, plan);
            metrics.upstreamLatency(app, result.headerNanos());
            metrics.request(app, "forwarded");
            if (route != null && route.bruteforceStatus().contains(result.status())) {
                failures.record(caller);
            }
        } catch (UpstreamClient.StreamAbortedException e) {
            metrics.request(app, "stream_aborted");
            LOG.log(System.Logger.Level.DEBUG, "Response of " + meta.appId() + " to " + caller.ip() + " broke off: "
                    + rootMessage(e.getCause()));
            throw e;
        } catch (UpstreamClient.ForwardException e) {
            UpstreamFailure f = e.failure();
            metrics.request(app, f.outcome);
            if (f == UpstreamFailure.CLIENT_ABORTED) {
                LOG.log(System.Logger.Level.DEBUG, "Client " + caller.ip() + " stopped sending its request body to " + meta.appId());
            } else {
                LOG.log(System.Logger.Level.WARNING, "ExApp " + meta.appId() + " at " + meta.host() + ":" + meta.port()
                        + ": " + f.name().toLowerCase(Locale.ROOT) + " (" + rootMessage(e.getCause()) + ")");
            }
            if (!res.isSent()) {
                Replies.text(res, f.status, f.message);
            }
        }
    }

    private void reject(ServerResponse res, Caller caller, String app, Rejection r) {
        metrics.request(app, outcome(r.status()));
        LOG.log(System.Logger.Level.DEBUG, () -> "Refused " + caller.ip() + ": " + r.status() + " " + r.message());
        if (r.failure()) {
            failures.record(caller);
        }
        Replies.text(res, r.status(), r.message());
    }

    /**
     * Every {@code X-Forwarded-For} line, joined in order: a proxy that adds its own line instead of appending to
     * the client's must not let the client's line pass for the whole chain.
     */
    private static Optional<String> forwardedFor(Headers headers) {
        List<String> values = headers.values(HeaderNames.X_FORWARDED_FOR);
        return switch (values.size()) {
            case 0 -> Optional.empty();
            case 1 -> Optional.of(values.getFirst());
            default -> Optional.of(String.join(", ", values.stream().map(String::strip).toList()));
        };
    }

    private static String outcome(int status) {
        return switch (status) {
            case 400 -> "bad_request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 503 -> "nextcloud_unavailable";
            default -> "rejected";
        };
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root != null && root.getCause() != null) {
            root = root.getCause();
        }
        return root == null ? "" : root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }
}
