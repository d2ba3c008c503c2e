package org.harpjava.server.proxy;

import org.harpjava.server.io.ReadTimeouts;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * The buffered input of an ExApp connection, with line reading for response heads and chunk sizes that scans the
 * buffer in place instead of going byte by byte through a synchronized stream. Not thread-safe: one request uses
 * a connection at a time.
 */
final class UpstreamInput extends InputStream {
    private final InputStream source;
    private final byte[] buffer;
    private final ReadTimeouts.Watch watch;
    private int pos;
    private int limit;

    UpstreamInput(InputStream source, int size, ReadTimeouts.Watch watch) {
        this.source = source;
        this.buffer = new byte[size];
        this.watch = watch;
    }

    /** Refills an empty buffer; false at the end of the stream. */
    private boolean fill() throws IOException {
        int n = timedRead(buffer, 0, buffer.length);
        if (n < 0) {
            return false;
        }
        pos = 0;
        limit = n;
        return true;
    }

    @Override
    public int read() throws IOException {
        if (pos == limit && !fill()) {
            return -1;
        }
        return buffer[pos++] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (pos == limit) {
            if (len >= buffer.length) {
                return timedRead(b, off, len);
            }
            if (!fill()) {
                return -1;
            }
        }
        int n = Math.min(len, limit - pos);
        System.arraycopy(buffer, pos, b, off, n);
        pos += n;
        return n;
    }

    private int timedRead(byte[] b, int off, int len) throws IOException {
        watch.reading();
        try {
            return source.read(b, off, len);
        } catch (IOException e) {
            if (watch.expired()) {
                throw new SocketTimeoutException("the ExApp sent nothing within HP_TIMEOUT_SERVER");
            }
            throw e;
        } finally {
            watch.done();
        }
    }

    @Override
    public int available() throws IOException {
        return (limit - pos) + source.available();
    }

    /** Bytes already buffered, without asking the socket. */
    int buffered() {
        return limit - pos;
    }

    /**
     * One line without its line end (CRLF, or a lone LF), charged against {@code budget[0]}.
     *
     * @param first whether this is the first line of a response: the end of the stream before any byte is then an
     *              {@link EOFException} (the ExApp closed an idle connection), not a malformed response
     */
    String readLine(int[] budget, boolean first) throws IOException {
        StringBuilder spill = null;
        while (true) {
            if (pos == limit && !fill()) {
                if (first && spill == null) {
                    throw new EOFException("connection closed before a response");
                }
                throw new ResponseHead.MalformedResponseException("response head ended early");
            }
            int start = pos;
            int end = start;
            while (end < limit && buffer[end] != '\n') {
                end++;
            }
            int taken = (end < limit ? end + 1 : end) - start;
            budget[0] -= taken;
            if (budget[0] < 0 || (spill != null && spill.length() + taken > ResponseHead.MAX_LINE)) {
                throw new ResponseHead.MalformedResponseException("response head too large");
            }
            if (end < limit) {
                pos = end + 1;
                int lineEnd = end > start && buffer[end - 1] == '\r' ? end - 1 : end;
                if (spill == null) {
                    return new String(buffer, start, lineEnd - start, StandardCharsets.ISO_8859_1);
                }
                spill.append(new String(buffer, start, end - start, StandardCharsets.ISO_8859_1));
                int n = spill.length();
                if (n > 0 && spill.charAt(n - 1) == '\r') {
                    spill.setLength(n - 1);
                }
                return spill.toString();
            }
            if (spill == null) {
                spill = new StringBuilder(128);
            }
            spill.append(new String(buffer, start, end - start, StandardCharsets.ISO_8859_1));
            pos = limit;
        }
    }
}
