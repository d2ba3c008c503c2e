package org.harpjava.e2e.deployed;

import io.helidon.webserver.http.ServerResponse;
import org.harpjava.exapp.AccessLevel;
import org.harpjava.exapp.Caller;
import org.harpjava.exapp.ExApp;
import org.harpjava.exapp.ExAppEnvironment;
import org.harpjava.exapp.Route;

/**
 * The ExApp {@code ExAppDeployTest} packs into an image and deploys through harp-server: one USER route that
 * answers with the caller and the Java runtime it runs on (the image's, not the test's).
 */
public final class NotesExApp {
    private NotesExApp() {
    }

    public static final class Api {
        @Route(path = "/api/whoami", access = AccessLevel.USER)
        void whoami(ServerResponse res, Caller caller) {
            res.send(caller.requireUser() + " on " + System.getProperty("java.home"));
        }
    }

    public static void main(String[] args) {
        ExApp app = ExApp.builder(ExAppEnvironment.fromSystem()).reenableOnStart(false).routes(new Api()).start();
        Runtime.getRuntime().addShutdownHook(new Thread(app::close));
    }
}
