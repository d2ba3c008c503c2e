package org.harpjava.server.proxy;

import org.harpjava.server.decision.ExAppMeta;
import org.harpjava.server.decision.Route;
import org.harpjava.server.security.Caller;

/**
 * What {@link ExAppGateway#decide} concluded about one request, plain HTTP or a protocol upgrade alike.
 */
sealed interface Decision {

    /**
     * The request is refused; already counted and, where it applies, recorded as a failure of the caller.
     *
     * @param retryAfterSeconds value of {@code Retry-After}, or 0 for none
     * @param challenge         value of {@code WWW-Authenticate}, or null for none
     */
    record Refuse(int status, String message, long retryAfterSeconds, String challenge) implements Decision {
        Refuse(int status, String message, long retryAfterSeconds) {
            this(status, message, retryAfterSeconds, null);
        }
    }

    /** The request is for the proxy's own {@code /exapps/app_api/} API. */
    record Control(String targetPath, Caller caller) implements Decision {
    }

    /**
     * The request may pass to the ExApp.
     *
     * @param plan   what to send upstream (the upgrade headers are added by the tunnel, not here)
     * @param meta   the ExApp
     * @param app    the {@code app} tag of the metrics
     * @param route  the matched route, or null for a request AppAPI signed
     * @param caller the client
     */
    record Forward(UpstreamClient.Plan plan, ExAppMeta meta, String app, Route route, Caller caller)
            implements Decision {
    }
}
