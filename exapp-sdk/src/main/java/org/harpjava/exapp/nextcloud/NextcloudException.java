package org.harpjava.exapp.nextcloud;

import java.time.Duration;
import java.util.Optional;

/**
 * A call to Nextcloud that failed. The subtypes say why; every one names the method and path of the call, the HTTP
 * status and the OCS status code when Nextcloud sent them. Messages never contain the app secret.
 */
public abstract sealed class NextcloudException extends RuntimeException
        permits UnauthorizedException, NotFoundException, MaintenanceModeException, TooManyRequestsException,
        HttpStatusException, TransportException {
    private final String method;
    private final String path;
    private final int status;
    private final int ocsStatus;

    NextcloudException(String method, String path, int status, int ocsStatus, String detail, Throwable cause) {
        super(describe(method, path, status, ocsStatus, detail), cause);
        this.method = method;
        this.path = path;
        this.status = status;
        this.ocsStatus = ocsStatus;
    }

    /** The HTTP method of the failed call. */
    public String method() {
        return method;
    }

    /** The path of the failed call, without its query. */
    public String path() {
        return path;
    }

    /** The HTTP status Nextcloud answered with, or 0 when no answer arrived. */
    public int status() {
        return status;
    }

    /** The OCS {@code meta.statuscode}, or 0 when the answer had no OCS envelope. */
    public int ocsStatus() {
        return ocsStatus;
    }

    /** How long Nextcloud asked the caller to wait ({@code Retry-After}), when it did. */
    public Optional<Duration> retryAfter() {
        return Optional.empty();
    }

    private static String describe(String method, String path, int status, int ocsStatus, String detail) {
        StringBuilder b = new StringBuilder(method).append(' ').append(path);
        if (status > 0) {
            b.append(" answered HTTP ").append(status);
            if (ocsStatus > 0) {
                b.append(" (OCS ").append(ocsStatus).append(')');
            }
        }
        if (detail != null && !detail.isBlank()) {
            b.append(status > 0 ? ": " : " failed: ").append(detail);
        }
        return b.toString();
    }
}
