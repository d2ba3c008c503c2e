package org.harpjava.server.proxy;

import org.harpjava.server.HarpServer;
import org.harpjava.server.testing.FakeNextcloud;
import org.harpjava.server.testing.Harp;
import org.harpjava.server.testing.Http;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An ExApp that dies in the middle of its response body: the client must see the response cut off (connection
 * closed before the declared length, or no final chunk), never a shorter body that looks complete.
 */
class TruncatedResponseTest {
    private static final String KEY = "truncation-key";

    private ServerSocket upstream;
    private FakeNextcloud nextcloud;
    private HarpServer harp;
    private volatile String response;

    @BeforeEach
    void start() throws IOException {
        upstream = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(this::serve);
        nextcloud = new FakeNextcloud(KEY).app("broken", "s", upstream.getLocalPort(),
                "[{\"url\":\"^/\",\"access_level\":0}]");
        harp = Harp.start(Harp.nextcloud(nextcloud, KEY));
    }

    @AfterEach
    void stop() throws IOException {
        harp.stop();
        nextcloud.close();
        upstream.close();
    }

    private void serve() {
        while (!upstream.isClosed()) {
            try (Socket s = upstream.accept()) {
                InputStream in = s.getInputStream();
                ByteArrayOutputStream head = new ByteArrayOutputStream();
                while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                    int b = in.read();
                    if (b < 0) {
                        break;
                    }
                    head.write(b);
                }
                OutputStream out = s.getOutputStream();
                out.write(response.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            } catch (IOException e) {
                return;
            }
        }
    }

    @Test
    void fixedLengthBodyCutShortIsNotCompleted() {
        response = "HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n" + "x".repeat(5000);
        String raw = Http.raw(harp.port(), "GET /exapps/broken/file HTTP/1.1\r\nHost: test");
        assertEquals(200, Http.status(raw));
        String body = raw.substring(raw.indexOf("\r\n\r\n") + 4);
        assertTrue(raw.contains("Content-Length: 100000"), raw.substring(0, raw.indexOf("\r\n\r\n")));
        assertTrue(body.length() < 100000, "the body must end early, not be padded or completed");
    }

    @Test
    void chunkedBodyCutShortHasNoFinalChunk() {
        response = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n5\r\nworld\r\n";
        String raw = Http.raw(harp.port(), "GET /exapps/broken/stream HTTP/1.1\r\nHost: test");
        assertEquals(200, Http.status(raw));
        assertTrue(raw.contains("hello"), "what arrived before the break is passed on");
        assertFalse(raw.endsWith("0\r\n\r\n"), "a final chunk would make the truncated body look complete");
    }
}
