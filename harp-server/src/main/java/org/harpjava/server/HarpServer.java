package org.harpjava.server;

import io.helidon.common.configurable.Resource;
import io.helidon.common.tls.Tls;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Metrics;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http1.Http1Config;
import org.harpjava.server.listener.ConnectionCloseFilter;
import org.harpjava.server.listener.ClientConnectionSelector;
import org.harpjava.server.io.ReadTimeouts;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import org.harpjava.server.proxy.Replies;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import io.helidon.webserver.observe.metrics.MetricsObserver;
import org.harpjava.server.config.CertificateFile;
import org.harpjava.server.config.ConfigException;
import org.harpjava.server.config.HarpConfig;
import org.harpjava.server.config.Setting;
import org.harpjava.server.config.HostPort;
import org.harpjava.server.control.ControlApi;
import org.harpjava.server.dev.DevDirectory;
import org.harpjava.server.docker.DockerApi;
import org.harpjava.server.docker.DockerEngines;
import org.harpjava.server.nextcloud.ExAppSource;
import org.harpjava.server.nextcloud.NextcloudClient;
import org.harpjava.server.nextcloud.UserSource;
import org.harpjava.server.observe.HarpMetrics;
import org.harpjava.server.proxy.ExAppGateway;
import org.harpjava.server.proxy.Tunnels;
import org.harpjava.server.proxy.UpstreamClient;
import org.harpjava.server.registry.ExAppRegistry;
import org.harpjava.server.registry.UserResolver;
import org.harpjava.server.security.BruteForceGuard;
import org.harpjava.server.security.FailureRecorder;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One running proxy: the ExApps listener (plain HTTP, and HTTPS when a certificate is present) and the
 * management listener with {@code /metrics} and {@code /health}.
 */
public final class HarpServer {
    private static final int WRITE_QUEUE = 32;
    private static final System.Logger LOG = System.getLogger(HarpServer.class.getName());
    /** Name of the HTTPS listener. */
    public static final String HTTPS_SOCKET = "https";
    /** Name of the management listener. */
    public static final String MANAGEMENT_SOCKET = "management";

    private final WebServer server;
    private final ExecutorService loaders;
    private final HarpMetrics metrics;
    private final HarpConfig config;
    private final UpstreamClient upstream;
    private final ReadTimeouts idleReads;
    private final ReadTimeouts serverReads;
    private final Tunnels tunnels;

    private HarpServer(WebServer server, ExecutorService loaders, HarpMetrics metrics, HarpConfig config,
                       UpstreamClient upstream, ReadTimeouts idleReads, ReadTimeouts serverReads, Tunnels tunnels) {
        this.server = server;
        this.tunnels = tunnels;
        this.upstream = upstream;
        this.idleReads = idleReads;
        this.serverReads = serverReads;
        this.loaders = loaders;
        this.metrics = metrics;
        this.config = config;
    }

    /**
     * Builds and starts a server for {@code config}.
     *
     * @throws ConfigException       when the certificate file of the HTTPS listener cannot be used
     * @throws IllegalStateException when a listener cannot be opened
     */
    public static HarpServer start(HarpConfig config) {
        Optional<Tls> tls = config.httpsAddress().map(https -> tls(config));
        ExAppSource exapps;
        UserSource users;
        if (config.dev().isPresent()) {
            DevDirectory dev = new DevDirectory(config.dev().get());
            exapps = dev;
            users = dev;
        } else {
            NextcloudClient nc = new NextcloudClient(config.nextcloudUrl().orElseThrow(), config.sharedKey(),
                    config.timeouts().connect());
            exapps = nc;
            users = nc;
        }
        HarpConfig.Limits limits = config.limits();
        ExecutorService loaders = Executors.newVirtualThreadPerTaskExecutor();
        ExAppRegistry registry = new ExAppRegistry(exapps, limits.exappCacheTtl(), limits.negativeCacheTtl(),
                limits.exappStaleLimit(), limits.exappCacheSize(), loaders);
        UserResolver resolver = new UserResolver(users, config.sessionLifetime(), limits.sessionCacheSize());
        BruteForceGuard guard = new BruteForceGuard(config.blacklistCount(), config.blacklistWindow(),
                limits.blacklistTableSize());
        MeterRegistry meters = Metrics.globalRegistry();
        HarpMetrics metrics = new HarpMetrics(meters, registry, resolver, guard);
        FailureRecorder failures = new FailureRecorder(guard, metrics::ban);
        DockerApi docker = new DockerApi(new DockerEngines(config.dockerEngines(), config.timeouts().connect()),
                config.timeouts().server());
        ControlApi control = new ControlApi(config.sharedKey(), registry, failures, HarpVersion.implementation(),
                docker);
        ReadTimeouts serverReads = new ReadTimeouts("exapp", config.timeouts().server());
        UpstreamClient upstream = new UpstreamClient(config.timeouts().connect(), serverReads,
                limits.upstreamPoolSize());
        ExAppGateway gateway = new ExAppGateway(config.sharedKey(), config.trustedProxies(), failures, registry,
                resolver, upstream, control, metrics);

        Tunnels tunnels = new Tunnels(gateway, metrics, config.timeouts().connect(), serverReads,
                config.timeouts().tunnel(), limits.wsMaxMessage());
        ReadTimeouts idleReads = new ReadTimeouts("client", config.timeouts().client());
        WebServerConfig.Builder builder = WebServer.builder()
                .featuresDiscoverServices(false)
                .shutdownHook(false)
                .host(config.exappsAddress().host())
                .port(config.exappsAddress().port())
                .maxTcpConnections(limits.maxConnections())
                // Classic sockets hold one 8 KiB buffer per connection where Helidon's NIO sockets hold two: with
                // thousands of idle WebSockets that is the difference between fitting a 256 MiB heap and not.
                // The HTTPS listener keeps NIO sockets, whose handshake happens within the reads ReadTimeouts times.
                .useNio(false)
                // Responses are handed to a writer per connection instead of written by the request's thread: on
                // a busy listener the writes then reach clients in batches, for about 10 % more requests per second
                // at a lower tail latency (docs/performance.md). Streams must then hand over bytes they will not
                // reuse (DetachedWrites), and a client that takes nothing for 10 s while 32 writes wait is cut.
                // Not on the HTTPS listener: with a queue there, TLS downloads arrived corrupted now and then
                // (HttpsListenerTest), even with DetachedWrites.
                .writeQueueLength(WRITE_QUEUE)
                .protocolsDiscoverServices(false)
                .connectionSelectors(List.of(new ClientConnectionSelector(Http1Config.create(), idleReads, tunnels.upgraders())))
                .routing(r -> r.addFilter(new ConnectionCloseFilter()).any(gateway).error(RuntimeException.class, HarpServer::internalError));
        config.httpsAddress().ifPresent(https -> builder.putSocket(HTTPS_SOCKET, s -> s
                        .host(https.host())
                        .port(https.port())
                        .maxTcpConnections(limits.maxConnections())
                        .protocolsDiscoverServices(false)
                        .connectionSelectors(List.of(new ClientConnectionSelector(Http1Config.create(), idleReads, tunnels.upgraders())))
                        .tls(tls.orElseThrow()))
                .routing(HTTPS_SOCKET, HttpRouting.builder().addFilter(new ConnectionCloseFilter()).any(gateway)
                        .error(RuntimeException.class, HarpServer::internalError)));
        config.management().ifPresent(m -> {
            builder.putSocket(MANAGEMENT_SOCKET, s -> s.host(m.host()).port(m.port()));
            builder.routing(MANAGEMENT_SOCKET, HttpRouting.builder());
            builder.addFeature(ObserveFeature.builder()
                    .endpoint("/")
                    .sockets(List.of(MANAGEMENT_SOCKET))
                    .addObserver(MetricsObserver.create())
                    .addObserver(HealthObserver.builder()
                            .details(true)
                            .useSystemServices(false)
                            .addCheck(() -> HealthCheckResponse.builder()
                                    .status(true)
                                    .detail("mode", config.devMode() ? "dev" : "nextcloud")
                                    .detail("exapps_cached", registry.size())
                                    .build(), HealthCheckType.LIVENESS, "harp")
                            .addCheck(() -> {
                                HealthCheckResponse.Builder b = HealthCheckResponse.builder().status(true);
                                docker.engineStates().forEach(e -> b.detail("engine_" + e.path("port").asInt(),
                                        e.path("address").asText() + (e.path("reachable").asBoolean()
                                                ? " reachable" : " unreachable")));
                                return b.build();
                            }, HealthCheckType.READINESS, "docker")
                            .build())
                    .build());
        });
        WebServer server = builder.build().start();
        if (!server.isRunning()) {
            upstream.close();
            idleReads.close();
            serverReads.close();
            tunnels.close();
            loaders.shutdownNow();
            metrics.close();
            throw new IllegalStateException("a listener could not be opened on " + Stream.of(Optional.of(config.exappsAddress()),
                    config.httpsAddress(), config.management()).flatMap(Optional::stream).map(HostPort::toString)
                    .collect(Collectors.joining(", ")) + " (address in use or not available)");
        }
        return new HarpServer(server, loaders, metrics, config, upstream, idleReads, serverReads, tunnels);
    }

    private static void internalError(ServerRequest req, ServerResponse res, RuntimeException e) {
        LOG.log(System.Logger.Level.ERROR, "Failed to handle " + req.prologue().method().text() + " "
                + req.path().rawPath(), e);
        if (!res.isSent()) {
            Replies.text(res, 500, "Internal Server Error");
        }
    }

    /** TLS of the HTTPS listener; key and chain each get their own resource, as Helidon reads a resource once. */
    private static Tls tls(HarpConfig config) {
        CertificateFile pem = CertificateFile.read(config.certFile());
        try {
            return Tls.builder()
                    .privateKey(k -> k.pem(p -> p.key(Resource.create("private key", pem.privateKey()))))
                    .privateKeyCertChain(k -> k.pem(p -> p.certChain(Resource.create("certificates", pem.certificateChain()))))
                    .build();
        } catch (RuntimeException e) {
            throw new ConfigException(Setting.CERT_FILE.label() + ": " + config.certFile() + " cannot be used ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    /** Port of the plain HTTP ExApps listener. */
    public int port() {
        return server.port();
    }

    /** Port of the HTTPS listener, or -1 when it is off. */
    public int httpsPort() {
        return server.hasTls(HTTPS_SOCKET) ? server.port(HTTPS_SOCKET) : -1;
    }

    /** Port of the management listener, or -1 when it is off. */
    public int managementPort() {
        return config.management().isPresent() ? server.port(MANAGEMENT_SOCKET) : -1;
    }

    /** WebSocket tunnels open now. */
    public int openTunnels() {
        return tunnels.size();
    }

    public HarpConfig config() {
        return config;
    }

    public boolean isRunning() {
        return server.isRunning();
    }

    /** Stops accepting connections and shuts down. */
    public void stop() {
        server.stop();
        tunnels.close();
        upstream.close();
        idleReads.close();
        serverReads.close();
        loaders.shutdownNow();
        metrics.close();
    }

    /** Where a listener is bound, for logs. */
    static String describe(HostPort address, int actualPort) {
        return new HostPort(address.host(), actualPort).toString();
    }
}
