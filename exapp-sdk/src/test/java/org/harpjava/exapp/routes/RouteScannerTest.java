package org.harpjava.exapp.routes;

import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.websocket.WsListener;
import org.harpjava.exapp.AccessLevel;
import org.harpjava.exapp.Caller;
import org.harpjava.exapp.Route;
import org.harpjava.exapp.WebSocketRoute;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RouteScannerTest {
    static class Handlers {
        @Route(path = "/items/{id}", methods = {"get", "PUT"}, access = AccessLevel.ADMIN, bruteforce = {401, 403},
                excludeHeaders = "Cookie")
        void item(ServerRequest req, ServerResponse res) {
        }

        @Route(path = "/public/*", access = AccessLevel.PUBLIC)
        void files(ServerResponse res, Caller caller) {
        }

        @WebSocketRoute(path = "/ws")
        WsListener ws(Caller caller) {
            return new WsListener() { };
        }

        void notARoute() {
        }
    }

    @Test
    void findsEveryDeclaredRoute() {
        List<DeclaredRoute> routes = RouteScanner.scan(Handlers.class);
        assertEquals(List.of("/items/{id}", "/public/*", "/ws"), routes.stream().map(DeclaredRoute::path).toList());
        DeclaredRoute item = routes.get(0);
        assertEquals("^/items/[^/]+$", item.url());
        assertEquals(List.of("GET", "PUT"), item.verbs());
        assertEquals(AccessLevel.ADMIN, item.access());
        assertEquals(List.of(401, 403), item.bruteforce());
        assertEquals(List.of("Cookie"), item.excludeHeaders());
        assertFalse(item.webSocket());
        assertEquals(List.of(), routes.get(1).verbs());
        DeclaredRoute ws = routes.get(2);
        assertTrue(ws.webSocket());
        assertEquals(List.of("GET"), ws.verbs());
        assertEquals("^/ws$", ws.url());
        assertEquals(AccessLevel.USER, ws.access());
    }

    @Test
    void regexMatchesWhatThePatternServes() {
        Pattern item = Pattern.compile(PathRegex.of("/items/{id}"));
        assertTrue(item.matcher("/items/42").matches());
        assertFalse(item.matcher("/items/42/x").matches());
        assertFalse(item.matcher("/items/").matches());
        Pattern rest = Pattern.compile(PathRegex.of("/files/{+path}"));
        assertTrue(rest.matcher("/files/a/b/c.txt").matches());
        assertEquals("^/v1\\.0/x$", PathRegex.of("/v1.0/x"));
        Pattern dotted = Pattern.compile(PathRegex.of("/v1.0/x"));
        assertTrue(dotted.matcher("/v1.0/x").matches());
        assertFalse(dotted.matcher("/v1a0/x").matches());
    }

    static class BadParameter {
        @Route(path = "/x")
        void x(String s) {
        }
    }

    static class BadPath {
        @Route(path = "x")
        void x() {
        }
    }

    static class Reserved {
        @Route(path = "/heartbeat")
        void x() {
        }
    }

    static class BadVerb {
        @Route(path = "/x", methods = "FETCH")
        void x() {
        }
    }

    static class BadStatus {
        @Route(path = "/x", bruteforce = 42)
        void x() {
        }
    }

    static class BadWebSocket {
        @WebSocketRoute(path = "/ws")
        String ws() {
            return "";
        }
    }

    static class BadRegex {
        @Route(path = "/x", url = "^/(unclosed")
        void x() {
        }
    }

    @Test
    void mistakesAreReportedWithTheMethod() {
        for (Class<?> c : List.of(BadParameter.class, BadPath.class, Reserved.class, BadVerb.class, BadStatus.class,
                BadWebSocket.class, BadRegex.class)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RouteScanner.scan(c));
            assertTrue(e.getMessage().startsWith(c.getName() + "."), e.getMessage());
        }
    }
}
