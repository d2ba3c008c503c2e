package org.harpjava.exapp.lifecycle;

import java.util.Optional;

/**
 * One check shown on Nextcloud's administration overview ({@code GET /setup_checks}, Nextcloud 35+), such as
 * "model downloaded" or "GPU available".
 */
@FunctionalInterface
public interface SetupCheck {
    Result check() throws Exception;

    /** How a check went. */
    enum Status { SUCCESS, INFO, WARNING, ERROR }

    /**
     * @param status    outcome
     * @param text      what the administrator reads
     * @param linkUrl   where to read more
     * @param linkLabel text of that link
     */
    record Result(Status status, String text, Optional<String> linkUrl, Optional<String> linkLabel) {
        public static Result of(Status status, String text) {
            return new Result(status, text, Optional.empty(), Optional.empty());
        }
    }
}
