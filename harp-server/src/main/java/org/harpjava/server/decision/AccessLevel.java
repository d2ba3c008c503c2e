package org.harpjava.server.decision;

import java.util.Locale;
import java.util.Optional;

/** The access levels of AppAPI routes and users, ordered: a user may pass a route whose level is not above theirs. */
public enum AccessLevel {
    PUBLIC,
    USER,
    ADMIN;

    /** The level AppAPI encodes as {@code code} (0, 1, 2). */
    public static Optional<AccessLevel> ofCode(long code) {
        return code >= 0 && code < values().length ? Optional.of(values()[(int) code]) : Optional.empty();
    }

    /** Parses {@code PUBLIC|USER|ADMIN} (any case) or {@code 0|1|2}. */
    public static Optional<AccessLevel> parse(String text) {
        String t = text.strip();
        if (t.matches("\\d{1,2}")) {
            return ofCode(Integer.parseInt(t));
        }
        try {
            return Optional.of(valueOf(t.toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Whether a holder of this level satisfies {@code required}. */
    public boolean satisfies(AccessLevel required) {
        return compareTo(required) >= 0;
    }
}
