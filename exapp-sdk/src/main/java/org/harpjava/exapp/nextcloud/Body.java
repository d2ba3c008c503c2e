package org.harpjava.exapp.nextcloud;

import java.io.IOException;
import java.io.InputStream;

/** A request body. */
sealed interface Body {
    /** Opens the content of a streamed body; called once per attempt. */
    @FunctionalInterface
    interface Source {
        InputStream open() throws IOException;
    }

    /** No body. */
    record None() implements Body {
    }

    /** A body held in memory; it can be sent again. */
    record Bytes(byte[] data, String contentType) implements Body {
    }

    /**
     * A body streamed from {@code source}, of {@code length} bytes (sent with that {@code Content-Length}), or of
     * unknown length (-1: sent chunked). Only a {@code repeatable} one is sent again on a retry.
     */
    record Streamed(String contentType, long length, boolean repeatable, Source source) implements Body {
    }

    Body NONE = new None();

    default boolean repeatable() {
        return !(this instanceof Streamed s) || s.repeatable();
    }
}
