package org.harpjava.server.io;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DetachedWritesTest {
    /** Keeps the arrays it is given, as a queued writer does. */
    private static final class KeepingStream extends OutputStream {
        final List<byte[]> kept = new ArrayList<>();
        int flushes;
        boolean closed;

        @Override
        public void write(int b) {
            kept.add(new byte[] {(byte) b});
        }

        @Override
        public void write(byte[] b, int off, int len) {
            kept.add(off == 0 && len == b.length ? b : Arrays.copyOfRange(b, off, off + len));
        }

        @Override
        public void flush() {
            flushes++;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    @Test
    void reusingTheBufferAfterAWriteDoesNotChangeWhatWasWritten() throws IOException {
        KeepingStream keeping = new KeepingStream();
        OutputStream out = new DetachedWrites(keeping);
        byte[] buffer = {1, 2, 3, 4};
        out.write(buffer, 0, 4);
        Arrays.fill(buffer, (byte) 9);
        out.write(buffer, 1, 2);
        out.write(7);
        assertArrayEquals(new byte[] {1, 2, 3, 4}, keeping.kept.get(0));
        assertArrayEquals(new byte[] {9, 9}, keeping.kept.get(1));
        assertArrayEquals(new byte[] {7}, keeping.kept.get(2));
    }

    @Test
    void closeDoesNotFlushFirst() throws IOException {
        KeepingStream keeping = new KeepingStream();
        new DetachedWrites(keeping).close();
        assertEquals(0, keeping.flushes);
        assertTrue(keeping.closed);
    }
}
