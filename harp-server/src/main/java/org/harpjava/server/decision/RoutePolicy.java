package org.harpjava.server.decision;

import java.util.List;
import java.util.Optional;

/**
 * Route matching and access checks. The first route whose regular expression matches the start of the path
 * and whose verbs admit the method decides; there is no fall-through to later routes.
 */
public final class RoutePolicy {
    private RoutePolicy() {
    }

    /** The first route matching {@code method} and the {@link ExAppPath#canonical canonical} target {@code path}. */
    public static Optional<Route> match(List<Route> routes, String method, String path) {
        for (Route r : routes) {
            if (r.matchesPath(path) && r.admitsVerb(method)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    /** The refusal when no route matches. */
    public static Rejection noRoute() {
        return Rejection.failure(404, "Not Found: no route of this ExApp matches");
    }

    /** Whether {@code user} may pass {@code route}; empty means yes. */
    public static Optional<Rejection> authorize(Route route, NcUser user) {
        if (route.accessLevel() == AccessLevel.PUBLIC || user.level().satisfies(route.accessLevel())) {
            return Optional.empty();
        }
        return Optional.of(Rejection.failure(403, route.accessLevel() == AccessLevel.ADMIN
                ? "Forbidden: this route is for Nextcloud administrators"
                : "Forbidden: this route needs a Nextcloud login"));
    }
}
