package org.harpjava.server.docker;

import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Reading and writing HTTP/1.1 message parts on a raw stream. */
final class HttpStreams {
    /** Longest line accepted in a response head or chunk header. */
    static final int MAX_LINE = 16 * 1024;

    private HttpStreams() {
    }

    /** One CRLF- (or LF-) terminated line without its terminator; null at the end of the stream before any byte. */
    static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                int n = b.length();
                if (n > 0 && b.charAt(n - 1) == '\r') {
                    b.setLength(n - 1);
                }
                return b.toString();
            }
            if (b.length() >= MAX_LINE) {
                throw new IOException("line longer than " + MAX_LINE + " bytes");
            }
            b.append((char) c);
        }
        if (b.isEmpty()) {
            return null;
        }
        throw new EOFException("connection closed in the middle of a line");
    }

    /** A body of exactly {@code length} bytes; ending early is an error. */
    static InputStream fixed(InputStream in, long length) {
        return new FilterInputStream(in) {
            private long left = length;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (left == 0) {
                    return -1;
                }
                int n = super.read(b, off, (int) Math.min(len, left));
                if (n == -1) {
                    throw new EOFException("response body ended " + left + " bytes early");
                }
                left -= n;
                return n;
            }

            @Override
            public int available() throws IOException {
                return (int) Math.min(super.available(), left);
            }
        };
    }

    /** A chunked body, decoded; trailers are read and dropped. */
    static InputStream chunked(InputStream in) {
        return new InputStream() {
            private long left;
            private boolean done;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (done) {
                    return -1;
                }
                if (left == 0) {
                    String size = line(in);
                    if (size == null) {
                        throw new EOFException("response body ended before its last chunk");
                    }
                    int semi = size.indexOf(';');
                    try {
                        left = Long.parseLong((semi >= 0 ? size.substring(0, semi) : size).strip(), 16);
                    } catch (NumberFormatException e) {
                        throw new IOException("malformed chunk size");
                    }
                    if (left < 0) {
                        throw new IOException("malformed chunk size");
                    }
                    if (left == 0) {
                        String trailer;
                        do {
                            trailer = line(in);
                        } while (trailer != null && !trailer.isEmpty());
                        done = true;
                        return -1;
                    }
                }
                int n = in.read(b, off, (int) Math.min(len, left));
                if (n == -1) {
                    throw new EOFException("response body ended inside a chunk");
                }
                left -= n;
                if (left == 0 && !"".equals(line(in))) {
                    throw new IOException("chunk not followed by CRLF");
                }
                return n;
            }
        };
    }

    /** Writes {@code body} with chunked transfer coding, flushing each chunk. */
    static void writeChunked(InputStream body, OutputStream out) throws IOException {
        byte[] buf = new byte[16 * 1024];
        int n;
        while ((n = body.read(buf)) != -1) {
            if (n > 0) {
                out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(buf, 0, n);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
        }
        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    }
}
