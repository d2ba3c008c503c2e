package org.harpjava.exapp.nextcloud;

import java.time.Duration;
import java.util.Optional;

/**
 * Nextcloud answered 503, usually because it is in maintenance mode; {@link #retryAfter()} carries its
 * {@code Retry-After}. Thrown once the client's retries are used up.
 */
public final class MaintenanceModeException extends NextcloudException {
    private final Duration retryAfter;

    MaintenanceModeException(String method, String path, int status, int ocsStatus, String detail,
                             Duration retryAfter) {
        super(method, path, status, ocsStatus, detail, null);
        this.retryAfter = retryAfter;
    }

    @Override
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
