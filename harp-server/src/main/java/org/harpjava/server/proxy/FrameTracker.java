package org.harpjava.server.proxy;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Follows the WebSocket frames (RFC 6455 section 5.2) of one direction of a tunnel by their headers only, without
 * touching payloads: it knows whether the stream is between frames, whether a close frame went by, and the size
 * of the data message in progress. Bytes are relayed as they come, except that a frame header split across reads
 * is held back until it is complete, so a frame that would make its message exceed the limit is never begun.
 * Not thread-safe: one copying thread per direction.
 */
final class FrameTracker {
    private static final int OP_CONTINUATION = 0;
    private static final int OP_CLOSE = 8;
    /** Close status when a close frame carries no code (RFC 6455 section 7.1.5). */
    static final int NO_STATUS = 1005;

    /** What went by: complete data messages and close frames with their status code. */
    interface Events {
        Events NONE = new Events() {
        };

        default void message() {
        }

        default void close(int code) {
        }
    }

    private final long maxMessage;
    private final Events events;
    private final byte[] header = new byte[14];
    private int headerLength;
    private long remaining;
    private long messageSize;
    private boolean closeSeen;
    /** Bytes of a close frame's status code still to read, the code so far, and the frame's masking key. */
    private int codeBytesLeft;
    private int code;
    private final byte[] mask = new byte[4];
    private boolean masked;

    /** @param maxMessage the largest data message let through, in payload bytes; 0 for no limit */
    FrameTracker(long maxMessage) {
        this(maxMessage, Events.NONE);
    }

    FrameTracker(long maxMessage, Events events) {
        this.maxMessage = maxMessage <= 0 ? Long.MAX_VALUE : maxMessage;
        this.events = events;
    }

    /** Whether the stream is between two frames, so a frame of the proxy's own may be sent. */
    boolean atBoundary() {
        return remaining == 0 && headerLength == 0;
    }

    /** Whether a close frame has been relayed. */
    boolean closeSeen() {
        return closeSeen;
    }

    /**
     * Relays {@code b[off, off + len)} to {@code out}.
     *
     * @return false when a frame would make its message exceed the limit: nothing of that frame was written, and
     * the stream must not go on
     */
    boolean relay(byte[] b, int off, int len, OutputStream out) throws IOException {
        int end = off + len;
        int pos = off;
        int start = off;
        int headerStart = headerLength > 0 ? -1 : off;
        while (pos < end) {
            while (codeBytesLeft > 0 && pos < end) {
                int v = b[pos] ^ (masked ? mask[2 - codeBytesLeft] : 0);
                code = (code << 8) | (v & 0xff);
                pos++;
                remaining--;
                if (--codeBytesLeft == 0) {
                    events.close(code);
                }
            }
            if (pos == end) {
                break;
            }
            if (remaining > 0) {
                int n = (int) Math.min(remaining, end - pos);
                pos += n;
                remaining -= n;
                continue;
            }
            if (headerLength == 0) {
                headerStart = pos;
            }
            header[headerLength++] = b[pos++];
            int needed = headerLength < 2 ? 2 : needed();
            if (headerLength < needed) {
                continue;
            }
            long payload = payloadLength();
            int opcode = header[0] & 0x0f;
            if (opcode == OP_CLOSE) {
                closeSeen = true;
                masked = (header[1] & 0x80) != 0;
                if (masked) {
                    System.arraycopy(header, headerLength - 4, mask, 0, 4);
                }
                code = 0;
                codeBytesLeft = payload >= 2 ? 2 : 0;
                if (payload < 2) {
                    events.close(NO_STATUS);
                }
            } else if (opcode < OP_CLOSE) {
                messageSize = opcode == OP_CONTINUATION ? messageSize + payload : payload;
                if ((header[0] & 0x80) != 0 && messageSize <= maxMessage) {
                    events.message();
                }
                if (messageSize > maxMessage) {
                    if (headerStart > start) {
                        out.write(b, start, headerStart - start);
                    }
                    headerLength = 0;
                    return false;
                }
            }
            if (headerStart < 0) {
                // The header began in an earlier read and was held back: send its held part first.
                int held = headerLength - (pos - off);
                out.write(header, 0, held);
                start = off;
            }
            headerLength = 0;
            remaining = payload;
        }
        if (headerLength > 0) {
            // An incomplete header ends this read: hold it back.
            if (headerStart >= 0 && headerStart > start) {
                out.write(b, start, headerStart - start);
            }
        } else if (end > start) {
            out.write(b, start, end - start);
        }
        return true;
    }

    private int needed() {
        int len7 = header[1] & 0x7f;
        int n = 2 + (len7 == 126 ? 2 : len7 == 127 ? 8 : 0);
        return (header[1] & 0x80) != 0 ? n + 4 : n;
    }

    private long payloadLength() {
        int len7 = header[1] & 0x7f;
        if (len7 < 126) {
            return len7;
        }
        long v = 0;
        int bytes = len7 == 126 ? 2 : 8;
        for (int i = 0; i < bytes; i++) {
            v = (v << 8) | (header[2 + i] & 0xff);
        }
        return v & Long.MAX_VALUE;
    }

    /** A close frame with {@code code} and {@code reason}, masked as a client's must be when {@code masked}. */
    static byte[] closeFrame(int code, String reason, boolean masked) {
        byte[] text = reason.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        int payload = 2 + Math.min(text.length, 123);
        byte[] frame = new byte[2 + (masked ? 4 : 0) + payload];
        frame[0] = (byte) 0x88;
        frame[1] = (byte) ((masked ? 0x80 : 0) | payload);
        int p = 2;
        byte[] mask = new byte[4];
        if (masked) {
            java.util.concurrent.ThreadLocalRandom.current().nextBytes(mask);
            System.arraycopy(mask, 0, frame, p, 4);
            p += 4;
        }
        byte[] body = new byte[payload];
        body[0] = (byte) (code >> 8);
        body[1] = (byte) code;
        System.arraycopy(text, 0, body, 2, payload - 2);
        for (int i = 0; i < payload; i++) {
            frame[p + i] = (byte) (body[i] ^ mask[i & 3]);
        }
        return frame;
    }
}
