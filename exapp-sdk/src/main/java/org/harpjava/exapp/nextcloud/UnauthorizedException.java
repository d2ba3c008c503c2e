package org.harpjava.exapp.nextcloud;

/**
 * Nextcloud refused the AppAPI credentials (HTTP 401 or OCS 997): a wrong secret or app id, an empty
 * {@code EX-APP-VERSION}, a disabled ExApp, or an endpoint that needs a user called without one.
 */
public final class UnauthorizedException extends NextcloudException {
    UnauthorizedException(String method, String path, int status, int ocsStatus, String detail) {
        super(method, path, status, ocsStatus, detail, null);
    }
}
