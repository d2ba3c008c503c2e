package org.harpjava.server.proxy;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrameTrackerTest {

    /** A frame with {@code opcode}, the FIN bit as given, a payload of {@code length} bytes, masked or not. */
    private static byte[] frame(int opcode, boolean fin, int length, boolean masked) {
        int ext = length < 126 ? 0 : length < 65536 ? 2 : 8;
        byte[] f = new byte[2 + ext + (masked ? 4 : 0) + length];
        f[0] = (byte) ((fin ? 0x80 : 0) | opcode);
        int len7 = ext == 0 ? length : ext == 2 ? 126 : 127;
        f[1] = (byte) ((masked ? 0x80 : 0) | len7);
        for (int i = 0; i < ext; i++) {
            f[2 + i] = (byte) ((long) length >>> (8 * (ext - 1 - i)));
        }
        for (int i = f.length - length; i < f.length; i++) {
            f[i] = (byte) i;
        }
        return f;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Test
    void relaysEveryByteWhateverTheReadBoundaries() throws IOException {
        byte[] stream = concat(frame(1, false, 5, true), frame(0, true, 300, true), frame(9, true, 0, true),
                frame(2, true, 70000, true), frame(8, true, 2, true));
        for (int step : new int[] {1, 2, 3, 7, 13, 4096, stream.length}) {
            FrameTracker t = new FrameTracker(0);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int i = 0; i < stream.length; i += step) {
                assertTrue(t.relay(stream, i, Math.min(step, stream.length - i), out));
            }
            assertArrayEquals(stream, out.toByteArray(), "step " + step);
            assertTrue(t.atBoundary());
            assertTrue(t.closeSeen());
        }
    }

    @Test
    void knowsWhenItIsInsideAFrame() throws IOException {
        byte[] f = frame(2, true, 100, false);
        FrameTracker t = new FrameTracker(0);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        t.relay(f, 0, 50, out);
        assertFalse(t.atBoundary());
        t.relay(f, 50, f.length - 50, out);
        assertTrue(t.atBoundary());
        assertFalse(t.closeSeen());
    }

    @Test
    void stopsBeforeTheFrameThatMakesAMessageTooBig() throws IOException {
        byte[] ok = frame(1, true, 100, true);
        byte[] first = frame(2, false, 60, true);
        byte[] second = frame(0, true, 60, true);
        byte[] stream = concat(ok, first, second);
        for (int step : new int[] {1, 3, stream.length}) {
            FrameTracker t = new FrameTracker(100);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            boolean passed = true;
            for (int i = 0; i < stream.length && passed; i += step) {
                passed = t.relay(stream, i, Math.min(step, stream.length - i), out);
            }
            assertFalse(passed, "step " + step);
            assertArrayEquals(concat(ok, first), out.toByteArray(), "step " + step);
        }
    }

    @Test
    void closeFramesCarryCodeAndReason() {
        byte[] plain = FrameTracker.closeFrame(1011, "gone", false);
        assertArrayEquals(new byte[] {(byte) 0x88, 6, 0x03, (byte) 0xf3, 'g', 'o', 'n', 'e'}, plain);
        byte[] masked = FrameTracker.closeFrame(1001, "x", true);
        assertEquals((byte) 0x83, masked[1]);
        byte[] payload = Arrays.copyOfRange(masked, 6, 9);
        for (int i = 0; i < payload.length; i++) {
            payload[i] ^= masked[2 + (i & 3)];
        }
        assertArrayEquals(new byte[] {0x03, (byte) 0xe9, 'x'}, payload);
    }

    /** Records the events of a tracker. */
    private static final class Recorded implements FrameTracker.Events {
        final java.util.List<String> events = new java.util.ArrayList<>();

        @Override
        public void message() {
            events.add("message");
        }

        @Override
        public void close(int code) {
            events.add("close " + code);
        }
    }

    /** Feeds {@code stream} in pieces of {@code piece} bytes. */
    private static java.util.List<String> events(byte[] stream, int piece) throws IOException {
        Recorded recorded = new Recorded();
        FrameTracker tracker = new FrameTracker(0, recorded);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < stream.length; i += piece) {
            assertTrue(tracker.relay(stream, i, Math.min(piece, stream.length - i), out));
        }
        assertArrayEquals(stream, out.toByteArray());
        return recorded.events;
    }

    @Test
    void countsMessagesOnceAndReadsCloseCodesWhateverTheReadBoundaries() throws IOException {
        byte[] stream = concat(
                frame(1, true, 5, true),                   // a text message
                frame(2, false, 300, true), frame(0, false, 10, true), frame(0, true, 70_000, true), // fragmented
                frame(9, true, 3, true),                   // a ping is not a message
                FrameTracker.closeFrame(4001, "bye", true));
        for (int piece : new int[] {1, 2, 3, 7, 4096, stream.length}) {
            assertEquals(java.util.List.of("message", "message", "close 4001"), events(stream, piece), "pieces of " + piece);
        }
        byte[] fromServer = concat(frame(1, true, 2, false), FrameTracker.closeFrame(1000, "", false));
        assertEquals(java.util.List.of("message", "close 1000"), events(fromServer, 1));
    }

    @Test
    void closeWithoutAStatusIsNoStatus() throws IOException {
        assertEquals(java.util.List.of("close 1005"), events(frame(8, true, 0, true), 1));
    }
}

