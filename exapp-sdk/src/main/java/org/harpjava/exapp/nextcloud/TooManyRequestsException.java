package org.harpjava.exapp.nextcloud;

import java.time.Duration;
import java.util.Optional;

/**
 * Nextcloud answered 429, throttling the caller; {@link #retryAfter()} carries its {@code Retry-After}. Thrown once
 * the client's retries are used up.
 */
public final class TooManyRequestsException extends NextcloudException {
    private final Duration retryAfter;

    TooManyRequestsException(String method, String path, int status, int ocsStatus, String detail,
                             Duration retryAfter) {
        super(method, path, status, ocsStatus, detail, null);
        this.retryAfter = retryAfter;
    }

    @Override
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
