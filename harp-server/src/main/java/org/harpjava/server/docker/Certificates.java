package org.harpjava.server.docker;

import io.helidon.webserver.http.ServerResponse;
import org.harpjava.server.proxy.Replies;

/** {@code install_certificates}: copies CA certificates into an ExApp container and runs its CA update. */
final class Certificates {
    private Certificates() {
    }

    static void install(ServerResponse res, EngineClient engine, Payload p, ExAppOperations.Deadline deadline,
                        String prefix) throws Payload.Invalid, EngineException {
        Replies.text(res, 501, "Not Implemented: install_certificates");
    }
}
