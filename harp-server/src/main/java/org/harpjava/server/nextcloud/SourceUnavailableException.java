package org.harpjava.server.nextcloud;

/** Nextcloud could not answer (unreachable, timed out, 5xx or an unreadable reply); nothing is cached from it. */
public final class SourceUnavailableException extends Exception {
    public SourceUnavailableException(String message) {
        super(message);
    }

    public SourceUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
