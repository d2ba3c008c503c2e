package org.harpjava.server.decision;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RoutePolicyTest {
    private static final NcUser ANON = NcUser.ANONYMOUS;
    private static final NcUser ALICE = new NcUser("alice", AccessLevel.USER);
    private static final NcUser ROOT = new NcUser("admin", AccessLevel.ADMIN);
    private static final NcUser DISABLED = new NcUser("bob", AccessLevel.PUBLIC);

    /** The routes of app-skeleton-python as HaRP's CI checks them. */
    private static final List<Route> SKELETON = List.of(
            Route.of("^/public", AccessLevel.PUBLIC, Set.of()),
            Route.of("^/user", AccessLevel.USER, Set.of()),
            Route.of("^/admin", AccessLevel.ADMIN, Set.of(401)));

    private static Optional<Integer> outcome(List<Route> routes, String method, String path, NcUser user) {
        Optional<Route> r = RoutePolicy.match(routes, method, path);
        if (r.isEmpty()) {
            return Optional.of(RoutePolicy.noRoute().status());
        }
        return RoutePolicy.authorize(r.get(), user).map(Rejection::status);
    }

    private static String describe(Optional<Integer> outcome) {
        return outcome.map(String::valueOf).orElse("allowed");
    }

    /** HaRP's CI matrix (job nc-host-manual-harp-host): public 200 for all, user 403 anonymous, admin 403 non-admins. */
    @ParameterizedTest
    @CsvSource({
            "/public, anonymous, allowed", "/public, user, allowed", "/public, admin, allowed",
            "/user, anonymous, 403", "/user, user, allowed", "/user, admin, allowed",
            "/admin, anonymous, 403", "/admin, user, 403", "/admin, admin, allowed",
            "/unknown, anonymous, 404", "/unknown, user, 404", "/unknown, admin, 404",
            "/user, disabled, 403", "/public, disabled, allowed",
    })
    void accessMatrix(String path, String who, String expected) {
        NcUser user = switch (who) {
            case "anonymous" -> ANON;
            case "user" -> ALICE;
            case "admin" -> ROOT;
            default -> DISABLED;
        };
        assertEquals(expected, describe(outcome(SKELETON, "GET", path, user)));
    }

    @Test
    void refusalsCountAsFailures() {
        Rejection forbidden = RoutePolicy.authorize(SKELETON.get(2), ALICE).orElseThrow();
        assertEquals(403, forbidden.status());
        assertTrue(forbidden.failure());
        Rejection none = RoutePolicy.noRoute();
        assertEquals(404, none.status());
        assertTrue(none.failure());
    }

    @Test
    void firstMatchDecidesWithoutFallThrough() {
        List<Route> routes = List.of(
                Route.of("^/api", AccessLevel.USER, Set.of()),
                Route.of("^/api/public", AccessLevel.PUBLIC, Set.of()));
        assertSame(routes.get(0), RoutePolicy.match(routes, "GET", "/api/public").orElseThrow());
        assertEquals("403", describe(outcome(routes, "GET", "/api/public", ANON)));
    }

    @Test
    void laterRoutesApplyWhenEarlierOnesDoNotMatch() {
        List<Route> routes = List.of(
                Route.of("^/api/public", AccessLevel.PUBLIC, Set.of()),
                Route.of("^/api", AccessLevel.USER, Set.of()));
        assertEquals("allowed", describe(outcome(routes, "GET", "/api/public/x", ANON)));
        assertEquals("403", describe(outcome(routes, "GET", "/api/private", ANON)));
    }

    @Test
    void matchingIsCaseSensitive() {
        assertEquals("404", describe(outcome(SKELETON, "GET", "/PUBLIC", ANON)));
        assertEquals("404", describe(outcome(SKELETON, "GET", "/Admin", ROOT)));
    }

    @Test
    void verbsSelectAmongRoutesWithTheSamePath() {
        Route read = new Route("^/doc", Pattern.compile("^/doc"), Set.of("GET"), AccessLevel.PUBLIC, Set.of(), Set.of());
        Route write = new Route("^/doc", Pattern.compile("^/doc"), Set.of("POST", "PUT"), AccessLevel.ADMIN, Set.of(), Set.of());
        List<Route> routes = List.of(read, write);
        assertSame(read, RoutePolicy.match(routes, "GET", "/doc").orElseThrow());
        assertSame(read, RoutePolicy.match(routes, "HEAD", "/doc").orElseThrow());
        assertSame(write, RoutePolicy.match(routes, "PUT", "/doc").orElseThrow());
        assertEquals("403", describe(outcome(routes, "POST", "/doc", ALICE)));
        assertEquals("404", describe(outcome(routes, "DELETE", "/doc", ROOT)));
    }

    @Test
    void noRoutesMeansNotFound() {
        assertTrue(RoutePolicy.match(List.of(), "GET", "/").isEmpty());
    }

    @Test
    void everyLevelSatisfiesPublic() {
        Route pub = Route.of("^/", AccessLevel.PUBLIC, Set.of());
        for (NcUser u : List.of(ANON, ALICE, ROOT, DISABLED)) {
            assertTrue(RoutePolicy.authorize(pub, u).isEmpty(), u.toString());
        }
    }
}
