package org.harpjava.exapp.nextcloud;

/**
 * Any other failure Nextcloud reported: an HTTP status outside 2xx (redirects are not followed, so they land here
 * too), an OCS envelope whose status is not {@code ok}, or an answer that is not the JSON the call expects.
 */
public final class HttpStatusException extends NextcloudException {
    HttpStatusException(String method, String path, int status, int ocsStatus, String detail) {
        super(method, path, status, ocsStatus, detail, null);
    }
}
