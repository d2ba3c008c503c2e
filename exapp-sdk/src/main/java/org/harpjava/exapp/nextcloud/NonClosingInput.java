package org.harpjava.exapp.nextcloud;

import java.io.FilterInputStream;
import java.io.InputStream;

/** A caller's stream whose {@code close()} is ignored, so an upload leaves it open for its owner. */
final class NonClosingInput extends FilterInputStream {
    NonClosingInput(InputStream in) {
        super(in);
    }

    @Override
    public void close() {
    }
}
