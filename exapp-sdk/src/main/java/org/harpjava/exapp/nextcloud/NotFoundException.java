package org.harpjava.exapp.nextcloud;

/** What the call addressed does not exist (HTTP 404, or OCS 404 or 998). */
public final class NotFoundException extends NextcloudException {
    NotFoundException(String method, String path, int status, int ocsStatus, String detail) {
        super(method, path, status, ocsStatus, detail, null);
    }
}
