package org.harpjava.server.proxy;

import io.helidon.http.Header;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Headers;
import io.helidon.http.ServerRequestHeaders;
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
        switch (decide(Inbound.of(req))) {
            case Decision.Refuse r -> refuse(res, r);
            case Decision.Control c -> control.handle(req, res, c.targetPath(), c.caller());
            case Decision.Forward f -> forward(req, res, f);
        }
    }

    /**
     * The single decision path of every request under {@code /exapps/}, plain or upgrading: bans, path, signature,
     * metadata, route, user and access level, and what to send upstream. Refusals are counted and recorded as
     * failures here; the caller only renders them.
     */
    Decision decide(Inbound in) {
        Headers headers = in.headers();
        String clientIp = proxies.clientAddress(in.peer(), forwardedFor(headers),
                headers.first(X_REAL_IP)).getHostAddress();
        boolean trusted = headers.first(NextcloudClient.SHARED_KEY).map(key::matches).orElse(false);
        Caller caller = new Caller(clientIp, trusted);

        if (!trusted) {
            Optional<Duration> ban = guard.banRemaining(clientIp);
            if (ban.isPresent()) {
                metrics.request(HarpMetrics.UNKNOWN_APP, "banned");
                return new Decision.Refuse(429, "Too Many Requests: this address is blocked after repeated failures",
                        Math.max(1, ban.get().toSeconds()));
            }
        }

        ExAppPath.Parsed parsed = ExAppPath.parse(in.rawPath());
        if (parsed instanceof ExAppPath.Rejected r) {
            return reject(caller, HarpMetrics.UNKNOWN_APP, r.rejection());
        }
        ExAppPath.Target target = (ExAppPath.Target) parsed;
        if (target.key().equals(ControlApi.APP_ID)) {
            return new Decision.Control(target.targetPath(), caller);
        }

        Function<String, String> header = name -> headers.first(SIGNATURE_HEADERS.get(name)).orElse(null);
        return switch (AppApiSignature.classify(header, key)) {
            case VALID -> decideSigned(in, target, header, caller);
            case BAD_KEY -> {
                LOG.log(System.Logger.Level.WARNING, "Request for ExApp " + target.appId() + " from " + clientIp
                        + " carries AppAPI headers with a wrong harp-shared-key");
                yield reject(caller, HarpMetrics.UNKNOWN_APP, Rejection.failure(401, "Unauthorized: invalid shared key"));
            }
            case NONE -> decideUser(in, target, caller);
        };
    }

    /** A request AppAPI signed: no route check, metadata from Nextcloud or from the request itself. */
    private Decision decideSigned(Inbound in, ExAppPath.Target target, Function<String, String> header, Caller caller) {
        Optional<ExAppMeta> meta = registry.find(target.key()) instanceof ExAppRegistry.Known k
                ? Optional.of(k.meta()) : AppApiSignature.fallback(target.appId(), header);
        if (meta.isEmpty()) {
            return reject(caller, HarpMetrics.UNKNOWN_APP,
                    Rejection.plain(404, "Not Found: unknown ExApp and no usable ex-app-host/ex-app-port"));
        }
        String aaVersion = in.headers().first(AA_VERSION).orElse("");
        if (aaVersion.matches("[0-9][0-9A-Za-z.+-]{0,31}")) {
            appApiVersion.set(aaVersion);
        }
        List<Header> injected = List.of(
                HeaderValues.create(AUTHORIZATION_APP_API, header.apply("authorization-app-api")),
                HeaderValues.create(EX_APP_ID, header.apply("ex-app-id")),
                HeaderValues.create(EX_APP_VERSION, header.apply("ex-app-version")),
                HeaderValues.create(AA_VERSION, aaVersion.isEmpty() ? appApiVersion.get() : aaVersion));
        return plan(in, meta.get(), target, null, true, injected, caller);
    }

    /** A request from a browser or client: route and access checks, then the caller's identity is signed in. */
    private Decision decideUser(Inbound in, ExAppPath.Target target, Caller caller) {
        String path = target.canonicalPath();
        if (AppApiSignature.isLifecyclePath(path)) {
            return reject(caller, HarpMetrics.UNKNOWN_APP,
                    Rejection.failure(403, "Forbidden: only AppAPI may call " + path));
        }
        ExAppMeta meta;
        switch (registry.find(target.key())) {
            case ExAppRegistry.Known k -> meta = k.meta();
            case ExAppRegistry.Unknown u -> {
                return reject(caller, HarpMetrics.UNKNOWN_APP, Rejection.failure(404, "Not Found: unknown ExApp"));
            }
            case ExAppRegistry.Disabled d -> {
                return reject(caller, HarpMetrics.UNKNOWN_APP, Rejection.failure(404, "Not Found: ExApp is disabled"));
            }
            case ExAppRegistry.Unavailable u -> {
                LOG.log(System.Logger.Level.WARNING, "Cannot look up ExApp " + target.appId() + ": " + u.reason());
                return reject(caller, HarpMetrics.UNKNOWN_APP,
                        Rejection.plain(503, "Service Unavailable: Nextcloud cannot be reached to look up this ExApp"));
            }
        }
        String app = meta.appId();
        Optional<Route> route = RoutePolicy.match(meta.routes(), in.method(), path);
        if (route.isEmpty()) {
            return reject(caller, app, RoutePolicy.noRoute());
        }
        NcUser user;
        try {
            user = resolveUser(in, target);
        } catch (SourceUnavailableException e) {
            if (route.get().accessLevel() != org.harpjava.server.decision.AccessLevel.PUBLIC) {
                LOG.log(System.Logger.Level.WARNING, "Cannot resolve the caller of " + app + ": " + e.getMessage());
                return reject(caller, app, Rejection.plain(503, "Service Unavailable: Nextcloud cannot verify the user"));
            }
            LOG.log(System.Logger.Level.DEBUG, "Nextcloud unavailable; serving public route of " + app + " anonymously");
            user = NcUser.ANONYMOUS;
        }
        Optional<Rejection> denied = RoutePolicy.authorize(route.get(), user);
        if (denied.isPresent()) {
            Optional<String> challenge = users.challenge();
            if (user.anonymous() && challenge.isPresent()) {
                // Dev mode: ask for a login. Only a wrong one counts as a failure, not a browser's first try.
                boolean triedCredentials = in.headers().contains(HeaderNames.AUTHORIZATION);
                Decision.Refuse r = reject(caller, app, new Rejection(401,
                        "Unauthorized: log in with a user of harp-server's dev mode", triedCredentials));
                return new Decision.Refuse(r.status(), r.message(), 0, challenge.get());
            }
            return reject(caller, app, denied.get());
        }
        List<Header> injected = List.of(
                HeaderValues.create(AUTHORIZATION_APP_API, ForwardedHeaders.appApiAuthorization(user.userId(), meta.token())),
                HeaderValues.create(EX_APP_ID, target.appId()),
                HeaderValues.create(EX_APP_VERSION, meta.version()),
                HeaderValues.create(AA_VERSION, appApiVersion.get()));
        return plan(in, meta, target, route.get(), false, injected, caller);
    }

    private NcUser resolveUser(Inbound in, ExAppPath.Target target) throws SourceUnavailableException {
        ServerRequestHeaders headers = in.headers();
        Optional<String> authorization = headers.first(HeaderNames.AUTHORIZATION);
        Optional<String> passphrase = headers.contains(HeaderNames.COOKIE)
                ? headers.cookies().first(SESSION_COOKIE).asOptional() : Optional.empty();
        return users.resolve(target.key(), passphrase, authorization, headers);
    }

    /** What goes to the ExApp: the client's end-to-end headers, the injected ones and the forwarding headers. */
    private Decision plan(Inbound req, ExAppMeta meta, ExAppPath.Target target, Route route, boolean signed,
                          List<Header> injected, Caller caller) {
        Headers in = req.headers();
        Set<String> tokens = ForwardedHeaders.connectionTokens(in.values(HeaderNames.CONNECTION));
        Set<String> excluded = route == null ? Set.of() : route.headersToExclude();
        List<Header> out = new ArrayList<>(in.size() + 8);
        InetAddress peer = req.peer();
        boolean peerTrusted = proxies.trusts(peer);
        for (Header h : in) {
            String name = h.name().toLowerCase(Locale.ROOT);
            if (ForwardedHeaders.toExApp(name, signed, tokens, excluded)
                    && (peerTrusted || !ForwardedHeaders.CLIENT_ADDRESS.contains(name))) {
                out.add(h);
            }
        }
        out.addAll(injected);
        String host = in.first(HeaderNames.HOST).orElse("");
        if (!host.isEmpty()) {
            out.add(HeaderValues.create(HeaderNames.HOST, host));
        }
        out.add(HeaderValues.create(HeaderNames.X_FORWARDED_FOR, ForwardedHeaders.forwardedFor(peer.getHostAddress(),
                peerTrusted, forwardedFor(in).orElse(null))));
        out.add(HeaderValues.create(X_FORWARDED_PROTO, peerTrusted && in.contains(X_FORWARDED_PROTO)
                ? in.first(X_FORWARDED_PROTO).get() : req.secure() ? "https" : "http"));
        String fwdHost = peerTrusted && in.contains(X_FORWARDED_HOST) ? in.first(X_FORWARDED_HOST).get() : host;
        if (!fwdHost.isEmpty()) {
            out.add(HeaderValues.create(X_FORWARDED_HOST, fwdHost));
        }
        String targetUri = req.query().isEmpty() ? target.targetPath() : target.targetPath() + req.query();
        UpstreamClient.Plan plan = new UpstreamClient.Plan(meta.host(), meta.port(), targetUri, out);
        String app = signed ? HarpMetrics.UNKNOWN_APP : meta.appId();
        if (signed && registry.cached(target.key()).isPresent()) {
            app = meta.appId();
        }
        return new Decision.Forward(plan, meta, app, route, caller);
    }

    private void forward(ServerRequest req, ServerResponse res, Decision.Forward f) {
        ExAppMeta meta = f.meta();
        String app = f.app();
        Caller caller = f.caller();
        try {
            UpstreamClient.Result result = upstream.forward(req, res, f.plan());
            metrics.upstreamLatency(app, result.headerNanos());
            metrics.request(app, "forwarded");
            answered(f, result.status());
        } catch (UpstreamClient.StreamAbortedException e) {
            metrics.request(app, "stream_aborted");
            LOG.log(System.Logger.Level.DEBUG, "Response of " + meta.appId() + " to " + caller.ip() + " broke off: "
                    + rootMessage(e.getCause()));
            throw e;
        } catch (UpstreamClient.ForwardException e) {
            UpstreamFailure failure = failed(f, e);
            if (!res.isSent()) {
                Replies.text(res, failure.status, failure.message);
            }
        }
    }

    /** Records the ExApp's answer to a forwarded request: its status may count as a brute-force failure. */
    void answered(Decision.Forward f, int status) {
        if (f.route() != null && f.route().bruteforceStatus().contains(status)) {
            failures.record(f.caller());
        }
    }

    /** Counts and logs a request that could not be forwarded; returns what the client is told. */
    UpstreamFailure failed(Decision.Forward f, UpstreamClient.ForwardException e) {
        UpstreamFailure failure = e.failure();
        metrics.request(f.app(), failure.outcome);
        if (failure == UpstreamFailure.CLIENT_ABORTED) {
            LOG.log(System.Logger.Level.DEBUG, "Client " + f.caller().ip() + " stopped sending its request body to "
                    + f.meta().appId());
        } else {
            LOG.log(System.Logger.Level.WARNING, "ExApp " + f.meta().appId() + " at " + f.meta().host() + ":"
                    + f.meta().port() + ": " + failure.name().toLowerCase(Locale.ROOT) + " ("
                    + rootMessage(e.getCause()) + ")");
        }
        return failure;
    }

    private static void refuse(ServerResponse res, Decision.Refuse r) {
        if (r.retryAfterSeconds() > 0) {
            res.header(HeaderNames.RETRY_AFTER, Long.toString(r.retryAfterSeconds()));
        }
        if (r.challenge() != null) {
            res.header(HeaderNames.WWW_AUTHENTICATE, r.challenge());
        }
        Replies.text(res, r.status(), r.message());
    }

    private Decision.Refuse reject(Caller caller, String app, Rejection r) {
        metrics.request(app, outcome(r.status()));
        LOG.log(System.Logger.Level.DEBUG, () -> "Refused " + caller.ip() + ": " + r.status() + " " + r.message());
        if (r.failure()) {
            failures.record(caller);
        }
        return new Decision.Refuse(r.status(), r.message(), 0);
    }

    /**
     * Every {@code X-Forwarded-For} line, joined in order: a proxy that adds its own line instead of appending to
     * the client's must not let the client's line pass for the whole chain.
     */
    private static Optional<String> forwardedFor(Headers headers) {
        if (!headers.contains(HeaderNames.X_FORWARDED_FOR)) {
            return Optional.empty();
        }
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

    static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root != null && root.getCause() != null) {
            root = root.getCause();
        }
        return root == null ? "" : root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }
}
