package org.harpjava.exapp.manifest;

import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.websocket.WsListener;
import org.harpjava.exapp.AccessLevel;
import org.harpjava.exapp.Caller;
import org.harpjava.exapp.Route;
import org.harpjava.exapp.WebSocketRoute;

/** Handlers whose routes the tests render, write and compare. */
class SampleHandlers {
    @Route(path = "/api/notes", methods = "GET")
    void list(ServerRequest req, ServerResponse res) {
    }

    @Route(path = "/api/notes", methods = {"post"}, bruteforce = {429, 401})
    void create(ServerRequest req, ServerResponse res) {
    }

    /** Same route as {@link #create}, declared twice: one {@code <route>} for both. */
    @Route(path = "/api/notes", methods = "POST", bruteforce = {401, 429})
    void createAgain(ServerResponse res) {
    }

    @Route(path = "/api/notes/{id}", access = AccessLevel.USER)
    void note(Caller caller) {
    }

    @Route(path = "/public/*", methods = "GET", access = AccessLevel.PUBLIC, excludeHeaders = "Cookie")
    void assets(ServerRequest req, ServerResponse res) {
    }

    @Route(path = "/settings", methods = {"PUT", "GET"}, access = AccessLevel.ADMIN, bruteforce = 403)
    void settings(ServerRequest req, ServerResponse res) {
    }

    @WebSocketRoute(path = "/ws")
    WsListener chat(Caller caller) {
        return new WsListener() {
        };
    }
}
