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
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The upstream side of the proxy against an ExApp scripted byte by byte: response framings, interim responses,
 * broken responses, and connections the ExApp drops between requests.
 */
class UpstreamWireTest {
    private static final String KEY = "wire-key";

    private ServerSocket upstream;
    private FakeNextcloud nextcloud;
    private HarpServer harp;
    private final AtomicInteger connections = new AtomicInteger();
    private final List<String> heads = new CopyOnWriteArrayList<>();
    /** Answers a request head with the raw bytes to write; null closes the connection without answering. */
    private volatile Function<String, String> script;
    /** Whether the ExApp closes each connection after one response without saying so. */
    private volatile boolean closeSilently;

    @BeforeEach
    void start() throws IOException {
        upstream = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(this::acceptLoop);
        nextcloud = new FakeNextcloud(KEY).app("wire", "s", upstream.getLocalPort(),
                "[{\"url\":\"^/\",\"access_level\":0}]");
        harp = Harp.start(Harp.nextcloud(nextcloud, KEY));
    }

    @AfterEach
    void stop() throws IOException {
        harp.stop();
        nextcloud.close();
        upstream.close();
    }

    private void acceptLoop() {
        while (!upstream.isClosed()) {
            try {
                Socket s = upstream.accept();
                connections.incrementAndGet();
                Thread.ofVirtual().start(() -> serve(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            while (true) {
                String head = readHead(in);
                if (head == null) {
                    return;
                }
                heads.add(head);
                String answer = script.apply(head);
                if (answer == null) {
                    return;
                }
                out.write(answer.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                if (closeSilently) {
                    return;
                }
            }
        } catch (IOException ignored) {
            // The proxy went away.
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            head.write(b);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    private HttpResponse<String> get(String path) {
        return Http.get(harp.port(), "/exapps/wire" + path);
    }

    @Test
    void chunkedBodyWithExtensionsAndTrailersIsDecoded() {
        script = h -> "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-Up: 1\r\n\r\n"
                + "5;ext=1\r\nhello\r\n7\r\n, world\r\n0\r\nX-Trailer: t\r\n\r\n";
        HttpResponse<String> r = get("/c");
        assertEquals(200, r.statusCode());
        assertEquals("hello, world", r.body());
        assertEquals("1", r.headers().firstValue("x-up").orElseThrow());
    }

    @Test
    void http10ResponseDelimitedByCloseIsPassedWhole() {
        script = h -> "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end";
        closeSilently = true;
        HttpResponse<String> r = get("/old");
        assertEquals(200, r.statusCode());
        assertEquals("until the end", r.body());
    }

    @Test
    void interimResponsesAreSkipped() {
        script = h -> "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"
                + "HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok";
        HttpResponse<String> r = get("/interim");
        assertEquals(201, r.statusCode());
        assertEquals("ok", r.body());
    }

    @Test
    void garbageInsteadOfAResponseIsBadGateway() {
        script = h -> "SSH-2.0-OpenSSH_9.2\r\n\r\n";
        HttpResponse<String> r = get("/x");
        assertEquals(502, r.statusCode());
        assertTrue(r.body().startsWith("Bad Gateway"), r.body());
    }

    @Test
    void conflictingContentLengthsAreBadGateway() {
        script = h -> "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nabc";
        assertEquals(502, get("/x").statusCode());
    }

    @Test
    void closeWithoutAnswerIsBadGateway() {
        script = h -> null;
        assertEquals(502, get("/x").statusCode());
    }

    @Test
    void requestHeadIsSentAsTheClientWroteIt() {
        script = h -> "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
        String raw = Http.raw(harp.port(), "GET /exapps/wire/a//b/%2e/c%2Fd;p=1?q=%41+b&&x HTTP/1.1\r\nHost: cloud\r\n"
                + "User-Agent: client/1");
        assertEquals(200, Http.status(raw));
        String head = heads.get(0);
        assertTrue(head.startsWith("GET /a//b/%2e/c%2Fd;p=1?q=%41+b&&x HTTP/1.1\r\n"), head);
        assertTrue(head.contains("\r\nHost: cloud\r\n"), head);
        assertTrue(head.contains("\r\nUser-Agent: client/1\r\n"), head);
        assertFalse(head.toLowerCase().contains("proxy-connection"), head);
        assertFalse(head.toLowerCase().contains("content-length"), head);
        assertFalse(head.toLowerCase().contains("transfer-encoding"), head);
    }

    @Test
    void fixedLengthUploadStaysFixedLength() {
        script = h -> "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
        String raw = Http.raw(harp.port(), "POST /exapps/wire/up HTTP/1.1\r\nHost: h\r\nContent-Length: 0");
        assertEquals(200, Http.status(raw));
        assertTrue(heads.get(0).contains("\r\nContent-Length: 0\r\n"), heads.get(0));
    }

    @Test
    void connectionsAreReusedAndADroppedIdleConnectionIsReplaced() {
        script = h -> "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
        for (int i = 0; i < 5; i++) {
            assertEquals(200, get("/k").statusCode());
        }
        assertEquals(1, connections.get());

        // The ExApp now drops every connection after one response, without announcing it.
        closeSilently = true;
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> r = get("/k");
            assertEquals(200, r.statusCode(), "request " + i);
            assertEquals("ok", r.body());
        }
    }

    @Test
    void announcedCloseIsHonoured() {
        script = h -> "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok";
        closeSilently = true;
        for (int i = 0; i < 3; i++) {
            assertEquals("ok", get("/c").body());
        }
        assertEquals(3, connections.get());
    }
}
