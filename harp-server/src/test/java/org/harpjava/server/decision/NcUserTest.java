package org.harpjava.server.decision;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NcUserTest {

    @Test
    void anonymousHasNoIdAndPublicLevel() {
        assertTrue(NcUser.ANONYMOUS.anonymous());
        assertEquals("", NcUser.ANONYMOUS.userId());
        assertEquals(AccessLevel.PUBLIC, NcUser.ANONYMOUS.level());
    }

    @Test
    void disabledUserIsNamedButHasNoAccess() {
        // user-info answers id/0 for a disabled user.
        NcUser disabled = new NcUser("bob", AccessLevel.PUBLIC);
        assertFalse(disabled.anonymous());
        assertFalse(disabled.level().satisfies(AccessLevel.USER));
    }

    @Test
    void rejectionFactories() {
        assertEquals(new Rejection(403, "x", true), Rejection.failure(403, "x"));
        assertEquals(new Rejection(503, "y", false), Rejection.plain(503, "y"));
    }

    @Test
    void exAppMetaHidesItsTokenAndCopiesRoutes() {
        List<Route> routes = new java.util.ArrayList<>(List.of(Route.of("^/", AccessLevel.PUBLIC, Set.of())));
        ExAppMeta meta = new ExAppMeta("app", "t0ken-value", "1.0", "127.0.0.1", 23000, routes);
        routes.clear();
        assertEquals(1, meta.routes().size());
        assertFalse(meta.toString().contains("t0ken-value"), meta.toString());
        assertTrue(meta.toString().contains("app"));
    }
}
