package org.harpjava.exapp.testkit;

import java.time.Duration;

/** An injected failure: requests matching method and path get {@code status} while {@code remaining} lasts. */
final class FailureRule {
    final String method;
    final String path;
    final int status;
    final Duration retryAfter;
    int remaining;

    FailureRule(String method, String path, int status, Duration retryAfter, int times) {
        this.method = method;
        this.path = path;
        this.status = status;
        this.retryAfter = retryAfter;
        this.remaining = times;
    }

    boolean matches(String requestMethod, String requestPath) {
        return remaining > 0 && (method == null || method.equalsIgnoreCase(requestMethod))
                && (path.endsWith("*") ? requestPath.startsWith(path.substring(0, path.length() - 1))
                : requestPath.equals(path));
    }
}
