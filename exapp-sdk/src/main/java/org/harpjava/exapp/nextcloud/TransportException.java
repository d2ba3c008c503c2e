package org.harpjava.exapp.nextcloud;

/**
 * No usable answer arrived: the connection could not be made, broke, or timed out. {@link #status()} is 0.
 * Thrown once the client's retries are used up (only idempotent calls are retried).
 */
public final class TransportException extends NextcloudException {
    TransportException(String method, String path, String detail, Throwable cause) {
        super(method, path, 0, 0, detail, cause);
    }
}
