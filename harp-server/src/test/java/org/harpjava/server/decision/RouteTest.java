package org.harpjava.server.decision;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RouteTest {

    private static Route route(String url, String... verbs) {
        return new Route(url, Pattern.compile(url), Set.of(verbs), AccessLevel.USER, Set.of(), Set.of());
    }

    /** Python's {@code re.match}: anchored at the start only, case-sensitive. */
    @ParameterizedTest
    @CsvSource({
            "^/api, /api, true",
            "^/api, /api/v1/x, true",
            "^/api, /apix, true",
            "/api, /api/v1, true",
            "^/api$, /api, true",
            "^/api$, /api/, false",
            "^/api/.*, /api/, true",
            "^/api, /v1/api, false",
            "api, /api, false",
            "^/API, /api, false",
            "^/api, /API, false",
            "^/ws$, /ws, true",
            "^/ws$, /wss, false",
            "^/, /anything, true",
            "'', /anything, true",
            "^.*\\.js$, /a/b.js, true",
            "^.*\\.js$, /a/b.json, false",
            "^/(public|assets)/, /assets/x, true",
    })
    void matchesFromTheStartOfThePathOnly(String url, String path, boolean matches) {
        assertEquals(matches, route(url).matchesPath(path));
    }

    @Test
    void withoutVerbsEveryMethodIsAdmitted() {
        Route r = route("^/");
        for (String m : new String[]{"GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "PROPFIND", "get"}) {
            assertTrue(r.admitsVerb(m), m);
        }
    }

    @Test
    void verbsRestrictMethodsCaseInsensitively() {
        Route r = route("^/", "GET", "POST");
        assertTrue(r.admitsVerb("GET"));
        assertTrue(r.admitsVerb("post"));
        assertFalse(r.admitsVerb("PUT"));
        assertFalse(r.admitsVerb("DELETE"));
        assertFalse(r.admitsVerb("OPTIONS"));
    }

    @Test
    void getAdmitsHead() {
        assertTrue(route("^/", "GET").admitsVerb("HEAD"));
        assertFalse(route("^/", "POST").admitsVerb("HEAD"));
        assertTrue(route("^/", "HEAD").admitsVerb("HEAD"));
        assertFalse(route("^/", "HEAD").admitsVerb("GET"));
    }

    @Test
    void ofBuildsTheShapeExappMetaSends() {
        Route r = Route.of("^/x", AccessLevel.ADMIN, Set.of(401, 429));
        assertEquals("^/x", r.url());
        assertEquals("^/x", r.pattern().pattern());
        assertEquals(AccessLevel.ADMIN, r.accessLevel());
        assertEquals(Set.of(401, 429), r.bruteforceStatus());
        assertTrue(r.verbs().isEmpty());
        assertTrue(r.headersToExclude().isEmpty());
    }

    @Test
    void setsAreCopiedAndImmutable() {
        Set<String> verbs = new HashSet<>(Set.of("GET"));
        Route r = new Route("^/", Pattern.compile("^/"), verbs, AccessLevel.PUBLIC, Set.of(), Set.of("cookie"));
        verbs.add("POST");
        assertFalse(r.admitsVerb("POST"));
        assertThrows(UnsupportedOperationException.class, () -> r.verbs().add("PUT"));
        assertThrows(UnsupportedOperationException.class, () -> r.headersToExclude().add("x"));
        assertThrows(UnsupportedOperationException.class, () -> r.bruteforceStatus().add(1));
    }
}
