package org.harpjava.server.decision;

/**
 * A request the proxy refuses.
 *
 * @param status  HTTP status sent to the client
 * @param message short text body sent to the client and logged
 * @param failure whether this counts as a brute-force failure against the client (unless it holds the shared key)
 */
public record Rejection(int status, String message, boolean failure) {

    public static Rejection failure(int status, String message) {
        return new Rejection(status, message, true);
    }

    public static Rejection plain(int status, String message) {
        return new Rejection(status, message, false);
    }
}
