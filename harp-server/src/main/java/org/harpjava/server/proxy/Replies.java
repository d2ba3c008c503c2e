package org.harpjava.server.proxy;

import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;

import java.nio.charset.StandardCharsets;

/** Short text and JSON answers the proxy gives itself. */
public final class Replies {
    private static final Header NOSNIFF = HeaderValues.createCached("X-Content-Type-Options", "nosniff");

    private Replies() {
    }

    /** Sends {@code status} with a one-line {@code text/plain} body. */
    public static void text(ServerResponse res, int status, String message) {
        res.status(Status.create(status));
        res.header(HeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.header(NOSNIFF);
        res.send((message + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** Sends {@code status} with a JSON body. */
    public static void json(ServerResponse res, int status, String json) {
        res.status(Status.create(status));
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.send(json.getBytes(StandardCharsets.UTF_8));
    }
}
