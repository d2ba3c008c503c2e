package org.harpjava.samples.transcribe;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import org.harpjava.exapp.AccessLevel;
import org.harpjava.exapp.Route;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The web page. In Nextcloud it is the app's top-menu entry: Nextcloud renders the page frame and loads
 * {@code js/transcribe.js} into it (both registered when the app is enabled, see {@link TranscribeApp}). {@code /} serves a
 * bare page with the same script, for harp-server's dev mode.
 */
public final class TranscribePage {
    @Route(path = "/", methods = "GET", access = AccessLevel.USER)
    void index(ServerResponse res) {
        resource(res, "web/index.html", "text/html; charset=utf-8");
    }

    @Route(path = "/js/transcribe.js", methods = "GET", access = AccessLevel.USER)
    void script(ServerResponse res) {
        resource(res, "web/transcribe.js", "text/javascript; charset=utf-8");
    }

    /** The top-menu icon; Nextcloud fetches it without a user. */
    @Route(path = "/img/transcribe.svg", methods = "GET", access = AccessLevel.PUBLIC)
    void icon(ServerResponse res) {
        resource(res, "web/transcribe.svg", "image/svg+xml");
    }

    private static void resource(ServerResponse res, String name, String type) {
        try (InputStream in = TranscribePage.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                res.status(Status.NOT_FOUND_404).send();
                return;
            }
            res.header(HeaderNames.CONTENT_TYPE, type).send(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
