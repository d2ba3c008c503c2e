package org.harpjava.samples.transcribe;

import io.helidon.webserver.http.ServerResponse;
import org.harpjava.exapp.AccessLevel;
import org.harpjava.exapp.Route;
import org.harpjava.exapp.web.StaticResources;

/**
 * The web page. In Nextcloud it is the app's top-menu entry: Nextcloud renders the page frame and loads
 * {@code js/transcribe.js} into it (both registered when the app is enabled, see {@link TranscribeApp}). {@code /} serves a
 * bare page with the same script, for harp-server's dev mode.
 */
public final class TranscribePage {
    private static final StaticResources WEB = StaticResources.in(TranscribePage.class, "web");

    @Route(path = "/", methods = "GET", access = AccessLevel.USER)
    void index(ServerResponse res) {
        WEB.send(res, "index.html");
    }

    @Route(path = "/js/transcribe.js", methods = "GET", access = AccessLevel.USER)
    void script(ServerResponse res) {
        WEB.send(res, "transcribe.js");
    }

    /** The top-menu icon; Nextcloud fetches it without a user. */
    @Route(path = "/img/transcribe.svg", methods = "GET", access = AccessLevel.PUBLIC)
    void icon(ServerResponse res) {
        WEB.send(res, "transcribe.svg");
    }
}
