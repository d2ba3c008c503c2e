package org.harpjava.exapp.auth;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import org.harpjava.exapp.Caller;

import java.util.Set;

/**
 * Authenticates every HTTP request with {@link AppApiAuth} before it reaches a handler, except the paths in
 * {@code exempt} ({@code /heartbeat}); a refusal is {@code 401} with a JSON body, and the handler of an accepted
 * request finds the {@link Caller} with {@link Caller#of}.
 */
public final class AppApiAuthFilter implements Filter {
    private static final System.Logger LOG = System.getLogger(AppApiAuthFilter.class.getName());

    private final AppApiAuth auth;
    private final Set<String> exempt;

    public AppApiAuthFilter(AppApiAuth auth, Set<String> exempt) {
        this.auth = auth;
        this.exempt = Set.copyOf(exempt);
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        if (exempt.contains(req.path().path())) {
            chain.proceed();
            return;
        }
        switch (auth.check(name -> req.headers().first(HeaderNames.create(name)))) {
            case AppApiAuth.Accepted a -> {
                req.context().register(Caller.class, a.caller());
                chain.proceed();
            }
            case AppApiAuth.Refused r -> {
                LOG.log(System.Logger.Level.WARNING, () -> "Refused " + req.prologue().method().text() + " "
                        + req.path().path() + " from " + req.remotePeer().host() + ": " + r.reason());
                res.status(Status.UNAUTHORIZED_401)
                        .header(HeaderNames.CONTENT_TYPE, "application/json")
                        .send(JsonNodeFactory.instance.objectNode().put("error", "Unauthorized: " + r.reason()).toString());
            }
        }
    }
}
