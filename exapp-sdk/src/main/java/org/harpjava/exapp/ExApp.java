package org.harpjava.exapp;

import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.websocket.WsRouting;
import org.harpjava.exapp.auth.AppApiAuth;
import org.harpjava.exapp.auth.AppApiAuthFilter;
import org.harpjava.exapp.lifecycle.EnabledHandler;
import org.harpjava.exapp.lifecycle.InitStatusSink;
import org.harpjava.exapp.lifecycle.InitTask;
import org.harpjava.exapp.lifecycle.Lifecycle;
import org.harpjava.exapp.lifecycle.SetupCheck;
import org.harpjava.exapp.nextcloud.NextcloudClient;
import org.harpjava.exapp.routes.BoundRoutes;
import org.harpjava.exapp.routes.DeclaredRoute;
import org.harpjava.exapp.routes.RouteScanner;
import org.harpjava.exapp.tasks.TaskWorker;
import org.harpjava.exapp.transport.CloseAfterResponse;
import org.harpjava.exapp.transport.UnixSocketBridge;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * A running ExApp: its {@link Route} and {@link WebSocketRoute} handlers and AppAPI's lifecycle endpoints on a
 * Helidon server, every request but {@code /heartbeat} authenticated as coming from AppAPI or a Nextcloud proxy.
 * It listens where the deploy environment says: TCP {@code APP_HOST:APP_PORT}, or the unix socket of HaRP's FRP
 * mode.
 * <pre>{@code
 * ExApp app = ExApp.builder(ExAppEnvironment.fromSystem())
 *         .routes(new NotesApi(store))
 *         .onEnabled(enabled -> { if (enabled) registerUi(); })
 *         .start();
 * }</pre>
 */
public final class ExApp implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ExApp.class.getName());

    private final ExAppEnvironment environment;
    private final WebServer server;
    private final Optional<UnixSocketBridge> bridge;
    private final Lifecycle lifecycle;
    private final List<DeclaredRoute> routes;
    private final NextcloudClient nextcloud;
    private final List<TaskWorker> workers;

    private ExApp(ExAppEnvironment environment, WebServer server, Optional<UnixSocketBridge> bridge,
                  Lifecycle lifecycle, List<DeclaredRoute> routes, NextcloudClient nextcloud, List<TaskWorker> workers) {
        this.environment = environment;
        this.nextcloud = nextcloud;
        this.workers = workers;
        this.server = server;
        this.bridge = bridge;
        this.lifecycle = lifecycle;
        this.routes = List.copyOf(routes);
    }

    /** Starts building an ExApp for {@code environment}. */
    public static Builder builder(ExAppEnvironment environment) {
        return new Builder(environment);
    }

    public ExAppEnvironment environment() {
        return environment;
    }

    /** The TCP port of the HTTP server (a loopback port behind the unix socket in FRP mode). */
    public int port() {
        return server.port();
    }

    /** The unix socket the app listens on, in FRP mode. */
    public Optional<Path> unixSocket() {
        return bridge.map(UnixSocketBridge::path);
    }

    /** The routes the app serves, as {@code info.xml} must declare them. */
    public List<DeclaredRoute> routes() {
        return routes;
    }

    /** The client of Nextcloud's APIs, acting as the app; {@link NextcloudClient#asUser} acts for a user. */
    public NextcloudClient nextcloud() {
        return nextcloud;
    }

    /** The lifecycle state: whether AppAPI enabled the app, and trigger listeners. */
    public Lifecycle lifecycle() {
        return lifecycle;
    }

    /** Stops serving. */
    @Override
    public void close() {
        workers.forEach(TaskWorker::close);
        bridge.ifPresent(UnixSocketBridge::close);
        server.stop();
    }

    /** Collects the parts of an ExApp. */
    public static final class Builder {
        private final ExAppEnvironment environment;
        private final List<Object> handlers = new ArrayList<>();
        private final Map<String, SetupCheck> setupChecks = new LinkedHashMap<>();
        private final List<Runnable> triggers = new ArrayList<>();
        private final List<Consumer<HttpRouting.Builder>> routing = new ArrayList<>();
        private EnabledHandler enabled = on -> { };
        private InitTask init;
        private InitStatusSink initStatus;
        private Callable<Boolean> enabledState;
        private NextcloudClient nextcloud;
        private boolean reenableOnStart = true;
        private final List<TaskWorker> workers = new ArrayList<>();

        private Builder(ExAppEnvironment environment) {
            this.environment = environment;
        }

        /** Objects whose {@link Route} and {@link WebSocketRoute} methods handle requests. */
        public Builder routes(Object... handlerObjects) {
            handlers.addAll(List.of(handlerObjects));
            return this;
        }

        /** More Helidon routes, behind the same authentication; they are not declared in {@code info.xml}. */
        public Builder routing(Consumer<HttpRouting.Builder> rules) {
            routing.add(rules);
            return this;
        }

        /** What to do when AppAPI enables or disables the app. */
        public Builder onEnabled(EnabledHandler handler) {
            this.enabled = handler;
            return this;
        }

        /** The background initialisation; without one, {@code /init} answers 404 as AppAPI expects. */
        public Builder init(InitTask task) {
            this.init = task;
            return this;
        }

        /** The Nextcloud client; by default one made from the environment. */
        public Builder nextcloud(NextcloudClient client) {
            this.nextcloud = client;
            return this;
        }

        /**
         * Whether to ask Nextcloud at start-up if the app is enabled and, if so, run the enabled handler again
         * (default yes), so a restarted container registers what it provides without waiting for AppAPI.
         */
        public Builder reenableOnStart(boolean reenable) {
            this.reenableOnStart = reenable;
            return this;
        }

        /** Where initialisation progress goes; by default AppAPI's {@code ex-app/status}. */
        public Builder initStatus(InitStatusSink sink) {
            this.initStatus = sink;
            return this;
        }

        /** How to ask whether the app is enabled at start-up; by default AppAPI's {@code ex-app/state}. */
        public Builder enabledState(Callable<Boolean> source) {
            this.enabledState = source;
            return this;
        }

        /** A check for Nextcloud's administration overview. */
        public Builder setupCheck(String id, SetupCheck check) {
            setupChecks.put(id, check);
            return this;
        }

        /**
         * Makes the app a TaskProcessing provider: {@code worker} registers its providers when the app is enabled,
         * unregisters them when it is disabled, and looks for tasks on every {@code /trigger}.
         */
        public Builder tasks(TaskWorker worker) {
            workers.add(worker);
            return this;
        }

        /** Runs {@code listener} when AppAPI says a TaskProcessing task waits. */
        public Builder onTrigger(Runnable listener) {
            triggers.add(listener);
            return this;
        }

        /** Starts the server. */
        public ExApp start() {
            AppApiAuth auth = new AppApiAuth(environment.appId(), environment.appSecret());
            NextcloudClient client = nextcloud != null ? nextcloud : NextcloudClient.create(environment);
            InitStatusSink sink = initStatus != null ? initStatus : client::initStatus;
            Callable<Boolean> state = enabledState != null ? enabledState : client::enabledState;
            EnabledHandler user = enabled;
            List<TaskWorker> taskWorkers = List.copyOf(workers);
            EnabledHandler all = on -> {
                if (on) {
                    for (TaskWorker w : taskWorkers) {
                        w.enable();
                    }
                    user.handle(true);
                } else {
                    user.handle(false);
                    for (TaskWorker w : taskWorkers) {
                        w.disable();
                    }
                }
            };
            Lifecycle lifecycle = new Lifecycle(Optional.ofNullable(init), sink, all, setupChecks);
            triggers.forEach(lifecycle::onTrigger);
            taskWorkers.forEach(w -> lifecycle.onTrigger(w::wake));

            List<DeclaredRoute> routesServed = new ArrayList<>();
            HttpRouting.Builder http = HttpRouting.builder()
                    .addFilter(new CloseAfterResponse())
                    .addFilter(new AppApiAuthFilter(auth, Set.of("/heartbeat")));
            lifecycle.register(http);
            WsRouting.Builder ws = WsRouting.builder();
            for (Object h : handlers) {
                List<DeclaredRoute> declared = RouteScanner.scan(h.getClass());
                if (declared.isEmpty()) {
                    throw new IllegalArgumentException(h.getClass().getName() + " declares no @Route or @WebSocketRoute method");
                }
                BoundRoutes.http(http, h, declared,
                        caller -> caller.userId().map(client::asUser).orElse(client));
                BoundRoutes.webSockets(ws, h, declared, auth);
                routesServed.addAll(declared);
            }
            routing.forEach(r -> r.accept(http));

            boolean unix = environment.unixSocket().isPresent();
            WebServer server = WebServer.builder()
                    .featuresDiscoverServices(false)
                    .host(unix ? "127.0.0.1" : environment.appHost())
                    .port(unix ? 0 : environment.appPort())
                    .routing(http)
                    .addRouting(ws)
                    .build()
                    .start();
            Optional<UnixSocketBridge> bridge = Optional.empty();
            if (unix) {
                try {
                    bridge = Optional.of(UnixSocketBridge.start(environment.unixSocket().get(),
                            new InetSocketAddress("127.0.0.1", server.port())));
                } catch (IOException e) {
                    server.stop();
                    throw new UncheckedIOException(e);
                }
            }
            ExApp app = new ExApp(environment, server, bridge, lifecycle, routesServed, client, taskWorkers);
            LOG.log(System.Logger.Level.INFO, "ExApp " + environment.appId() + " " + environment.appVersion()
                    + " listening on " + environment.unixSocket().map(p -> "unix:" + p)
                    .orElse(environment.appHost() + ":" + server.port()));
            if (reenableOnStart) {
                Thread.ofVirtual().name("exapp-reenable").start(() -> reenable(lifecycle, state));
            }
            return app;
        }

        private static void reenable(Lifecycle lifecycle, Callable<Boolean> state) {
            try {
                if (Boolean.TRUE.equals(state.call()) && lifecycle.enabled().isEmpty()) {
                    String error = lifecycle.setEnabled(true);
                    if (!error.isEmpty()) {
                        LOG.log(System.Logger.Level.WARNING, "Registering again after a restart failed: " + error);
                    }
                }
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, "Cannot ask Nextcloud whether this app is enabled: " + e.getMessage());
            }
        }
    }
}
