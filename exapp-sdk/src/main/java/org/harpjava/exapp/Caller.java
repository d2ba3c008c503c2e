package org.harpjava.exapp;

import io.helidon.common.context.Context;
import io.helidon.webserver.http.ServerRequest;

import java.util.Optional;

/**
 * Who made an authenticated request: the Nextcloud user on whose behalf AppAPI or the proxy called, or nobody
 * (anonymous users and AppAPI's own system calls).
 *
 * @param userId     the Nextcloud user id, empty for none
 * @param appVersion the ExApp version Nextcloud has on record ({@code EX-APP-VERSION})
 */
public record Caller(Optional<String> userId, String appVersion) {
    /** A caller without a user. */
    public static Caller anonymous(String appVersion) {
        return new Caller(Optional.empty(), appVersion);
    }

    /** Whether a Nextcloud user made the request. */
    public boolean isUser() {
        return userId.isPresent();
    }

    /** The user id, or throws when there is none. */
    public String requireUser() {
        return userId.orElseThrow(() -> new IllegalStateException("the request carries no Nextcloud user"));
    }

    /** The caller of an authenticated request; every request the SDK routes to a handler has one. */
    public static Caller of(ServerRequest request) {
        return of(request.context());
    }

    static Caller of(Context context) {
        return context.get(Caller.class, Caller.class)
                .orElseThrow(() -> new IllegalStateException("request was not authenticated by the ExApp SDK"));
    }
}
