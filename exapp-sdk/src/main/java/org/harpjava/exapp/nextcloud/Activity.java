package org.harpjava.exapp.nextcloud;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** When a call last moved data, for the idle timeout. */
final class Activity {
    private volatile long last = System.nanoTime();

    void touch() {
        last = System.nanoTime();
    }

    long last() {
        return last;
    }

    /** {@code in}, recording activity on every read. */
    InputStream watch(InputStream in) {
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                touch();
                return super.read();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                touch();
                return super.read(b, off, len);
            }
        };
    }
}
