package org.harpjava.exapp.nextcloud;

import java.io.IOException;
import java.io.OutputStream;

/** A request body. */
sealed interface Body {
    /** Writes a streamed body. */
    @FunctionalInterface
    interface Writer {
        void writeTo(OutputStream out) throws IOException;
    }

    /** No body. */
    record None() implements Body {
    }

    /** A body held in memory; it can be sent again. */
    record Bytes(byte[] data, String contentType) implements Body {
    }

    /**
     * A streamed body of {@code length} bytes (-1 when unknown: sent chunked). Only a {@code repeatable} one can be
     * sent again on a retry.
     */
    record Streamed(String contentType, long length, boolean repeatable, Writer writer) implements Body {
    }

    Body NONE = new None();

    default boolean repeatable() {
        return !(this instanceof Streamed s) || s.repeatable();
    }
}
