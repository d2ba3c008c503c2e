package org.harpjava.exapp.routes;

import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.http.Method;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRoute;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.websocket.WsRouting;
import io.helidon.common.buffers.BufferData;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;
import io.helidon.websocket.WsUpgradeException;
import org.harpjava.exapp.Caller;
import org.harpjava.exapp.auth.AppApiAuth;
import org.harpjava.exapp.nextcloud.NextcloudClient;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** Serves the {@link DeclaredRoute}s of handler objects on Helidon: HTTP handlers and WebSocket endpoints. */
public final class BoundRoutes {
    private BoundRoutes() {
    }

    /**
     * Adds the HTTP routes of {@code owner} to {@code rules}.
     *
     * @param clientFor the Nextcloud client a handler gets for a caller (acting as that user, or as the app)
     */
    public static void http(HttpRules rules, Object owner, List<DeclaredRoute> routes,
                            Function<Caller, NextcloudClient> clientFor) {
        for (DeclaredRoute r : routes) {
            if (r.webSocket()) {
                continue;
            }
            MethodHandle target = handle(owner, r.method());
            Class<?>[] params = r.method().getParameterTypes();
            Handler handler = (req, res) -> invoke(target, params, req, res, clientFor);
            HttpRoute.Builder route = HttpRoute.builder().path(r.path()).handler(handler);
            if (!r.verbs().isEmpty()) {
                route.methods(r.verbs().stream().map(Method::create).toArray(Method[]::new));
            }
            rules.route(route.build());
        }
    }

    /** Adds the WebSocket endpoints of {@code owner} to {@code ws}, each handshake authenticated by {@code auth}. */
    public static void webSockets(WsRouting.Builder ws, Object owner, List<DeclaredRoute> routes, AppApiAuth auth) {
        for (DeclaredRoute r : routes) {
            if (!r.webSocket()) {
                continue;
            }
            MethodHandle factory = handle(owner, r.method());
            boolean takesCaller = r.method().getParameterCount() == 1;
            ws.endpoint(r.path(), () -> new AuthenticatedListener(auth, caller -> {
                try {
                    return (WsListener) (takesCaller ? factory.invoke(caller) : factory.invoke());
                } catch (RuntimeException | Error e) {
                    throw e;
                } catch (Throwable t) {
                    throw new IllegalStateException(t);
                }
            }));
        }
    }

    private static MethodHandle handle(Object owner, java.lang.reflect.Method m) {
        try {
            m.setAccessible(true);
            return MethodHandles.lookup().unreflect(m).bindTo(owner);
        } catch (IllegalAccessException | RuntimeException e) {
            throw new IllegalArgumentException("cannot call " + m.getDeclaringClass().getName() + "." + m.getName()
                    + ": " + e.getMessage(), e);
        }
    }

    private static void invoke(MethodHandle target, Class<?>[] params, ServerRequest req, ServerResponse res,
                               Function<Caller, NextcloudClient> clientFor) throws Exception {
        Object[] args = new Object[params.length];
        for (int i = 0; i < params.length; i++) {
            Class<?> p = params[i];
            args[i] = p == ServerRequest.class ? req : p == ServerResponse.class ? res
                    : p == Caller.class ? Caller.of(req) : clientFor.apply(Caller.of(req));
        }
        try {
            target.invokeWithArguments(args);
        } catch (Exception | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Checks the handshake, then hands the connection to the listener the endpoint method makes for the caller. */
    private static final class AuthenticatedListener implements WsListener {
        private final AppApiAuth auth;
        private final java.util.function.Function<Caller, WsListener> factory;
        private WsListener delegate;

        AuthenticatedListener(AppApiAuth auth, java.util.function.Function<Caller, WsListener> factory) {
            this.auth = auth;
            this.factory = factory;
        }

        @Override
        public Optional<Headers> onHttpUpgrade(HttpPrologue prologue, Headers headers) throws WsUpgradeException {
            switch (auth.check(name -> headers.first(HeaderNames.create(name)))) {
                case AppApiAuth.Refused r -> throw new WsUpgradeException("Unauthorized: " + r.reason());
                case AppApiAuth.Accepted a -> delegate = factory.apply(a.caller());
            }
            return delegate.onHttpUpgrade(prologue, headers);
        }

        @Override
        public void onOpen(WsSession session) {
            delegate.onOpen(session);
        }

        @Override
        public void onMessage(WsSession session, String text, boolean last) {
            delegate.onMessage(session, text, last);
        }

        @Override
        public void onMessage(WsSession session, BufferData buffer, boolean last) {
            delegate.onMessage(session, buffer, last);
        }

        @Override
        public void onPing(WsSession session, BufferData buffer) {
            delegate.onPing(session, buffer);
        }

        @Override
        public void onPong(WsSession session, BufferData buffer) {
            delegate.onPong(session, buffer);
        }

        @Override
        public void onClose(WsSession session, int status, String reason) {
            if (delegate != null) {
                delegate.onClose(session, status, reason);
            }
        }

        @Override
        public void onError(WsSession session, Throwable t) {
            if (delegate != null) {
                delegate.onError(session, t);
            }
        }
    }
}
