package org.harpjava.server.io;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * Passes on copies of the bytes written, so the caller may reuse its buffer as soon as a write returns. A Helidon
 * response stream on a listener with a write queue queues the caller's array itself (4.5.0), and a copy loop that
 * refills its buffer would otherwise change bytes that are still waiting to be sent.
 */
public final class DetachedWrites extends FilterOutputStream {
    public DetachedWrites(OutputStream out) {
        super(out);
    }

    @Override
    public void write(int b) throws IOException {
        out.write(new byte[] {(byte) b});
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(Arrays.copyOfRange(b, off, off + len));
    }

    /** Closes the stream without the extra flush {@link FilterOutputStream} adds, which would change framing. */
    @Override
    public void close() throws IOException {
        out.close();
    }
}
