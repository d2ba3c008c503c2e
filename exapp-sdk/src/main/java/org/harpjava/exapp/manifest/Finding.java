package org.harpjava.exapp.manifest;

/**
 * One problem found in a set of routes.
 *
 * @param severity how serious it is
 * @param message  one line that says what and where
 */
public record Finding(Severity severity, String message) {
    /** How serious a finding is. */
    public enum Severity {
        /** AppAPI rejects the routes, or a proxy cannot use them. */
        ERROR,
        /** Accepted, but a proxy behaves differently from what the routes seem to say. */
        WARNING,
        /** Worth knowing; nothing is wrong. */
        NOTE
    }

    static Finding error(String message) {
        return new Finding(Severity.ERROR, message);
    }

    static Finding warning(String message) {
        return new Finding(Severity.WARNING, message);
    }

    static Finding note(String message) {
        return new Finding(Severity.NOTE, message);
    }

    /** Whether this is an {@link Severity#ERROR}. */
    public boolean isError() {
        return severity == Severity.ERROR;
    }

    @Override
    public String toString() {
        return severity.name().toLowerCase(java.util.Locale.ROOT) + ": " + message;
    }
}
