package org.harpjava.server.proxy;

import org.harpjava.server.testing.PublicAppProxy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code HP_TIMEOUT_CLIENT} bounds how long a client may take to send its request, never how long a response
 * may stream (HaRP issue #114: server-sent events cut after 30 s).
 */
class ClientTimeoutTest {
    private static final String KEY = "timeout-key";

    private PublicAppProxy proxy;

    @BeforeEach
    void start() throws IOException {
        proxy = PublicAppProxy.start(KEY, Map.of("HP_TIMEOUT_CLIENT", "1s"));
    }

    @AfterEach
    void stop() {
        proxy.close();
    }

    @Test
    void eventStreamOutlivesTheClientTimeout() throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write("GET /exapps/app/sse?n=4&gapMs=700 HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1));
            long start = System.nanoTime();
            String all = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(all.startsWith("HTTP/1.1 200"), all);
            for (int i = 0; i < 4; i++) {
                assertTrue(all.contains("data: event " + i), "event " + i + " missing after " + millis + " ms: " + all);
            }
            assertTrue(all.endsWith("0\r\n\r\n"), "stream not completed: " + all);
            assertTrue(millis >= 2000, "the stream should have taken longer than the client timeout: " + millis);
        }
    }

    @Test
    void clientStuckInItsRequestHeadIsDisconnected() throws IOException {
        assertDisconnected("GET /exapps/app/echo HTTP/1.1\r\nHost: h\r\n");
    }

    @Test
    void clientThatNeverSpeaksIsDisconnected() throws IOException {
        assertDisconnected("");
    }

    @Test
    void idleKeepAliveConnectionIsDisconnected() throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write("GET /exapps/app/echo HTTP/1.1\r\nHost: h\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            long start = System.nanoTime();
            byte[] all = s.getInputStream().readAllBytes();
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(new String(all, StandardCharsets.ISO_8859_1).startsWith("HTTP/1.1 200"));
            assertTrue(millis >= 900 && millis < 8000, "idle connection closed after " + millis + " ms");
        }
    }

    @Test
    void uploadThatStallsIsCutAndNotForwardedAsComplete() throws IOException {
        assertDisconnected("POST /exapps/app/upload HTTP/1.1\r\nHost: h\r\nContent-Length: 100000\r\n\r\n"
                + "x".repeat(1000));
    }

    private void assertDisconnected(String partialRequest) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(partialRequest.getBytes(StandardCharsets.ISO_8859_1));
            long start = System.nanoTime();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            try {
                for (int b; (b = in.read()) >= 0; ) {
                    got.write(b);
                }
            } catch (java.net.SocketException reset) {
                // A reset is a disconnect too.
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(millis < 8000, "not disconnected within the client timeout: " + millis + " ms");
            assertFalse(got.toString(StandardCharsets.ISO_8859_1).startsWith("HTTP/1.1 2"), got.toString());
            assertEquals(0, proxy.exapp().completedUploads());
        }
    }
}
