package org.harpjava.server.proxy;

import org.harpjava.server.HarpServer;
import org.harpjava.server.testing.FakeNextcloud;
import org.harpjava.server.testing.Harp;
import org.harpjava.server.testing.Http;
import org.harpjava.server.testing.RawExApp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The upstream side of the proxy against an ExApp scripted byte by byte: response framings, interim responses,
 * broken responses, and connections the ExApp drops between requests.
 */
class UpstreamWireTest {
    private static final String KEY = "wire-key";

    private RawExApp upstream;
    private FakeNextcloud nextcloud;
    private HarpServer harp;

    @BeforeEach
    void start() throws IOException {
        upstream = new RawExApp();
        nextcloud = new FakeNextcloud(KEY).app("wire", "s", upstream.port(),
                "[{\"url\":\"^/\",\"access_level\":0}]");
        harp = Harp.start(Harp.nextcloud(nextcloud, KEY));
    }

    @AfterEach
    void stop() throws IOException {
        harp.stop();
        nextcloud.close();
        upstream.close();
    }

    private HttpResponse<String> get(String path) {
        return Http.get(harp.port(), "/exapps/wire" + path);
    }

    @Test
    void chunkedBodyWithExtensionsAndTrailersIsDecoded() {
        upstream.respond(request -> "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-Up: 1\r\n\r\n"
                + "5;ext=1\r\nhello\r\n7\r\n, world\r\n0\r\nX-Trailer: t\r\n\r\n");
        HttpResponse<String> r = get("/c");
        assertEquals(200, r.statusCode());
        assertEquals("hello, world", r.body());
        assertEquals("1", r.headers().firstValue("x-up").orElseThrow());
    }

    @Test
    void http10ResponseDelimitedByCloseIsPassedWhole() {
        upstream.respond(request -> "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end");
        upstream.closeAfterEachResponse(true);
        HttpResponse<String> r = get("/old");
        assertEquals(200, r.statusCode());
        assertEquals("until the end", r.body());
    }

    @Test
    void interimResponsesAreSkipped() {
        upstream.respond(request -> "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"
                + "HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok");
        HttpResponse<String> r = get("/interim");
        assertEquals(201, r.statusCode());
        assertEquals("ok", r.body());
    }

    @Test
    void garbageInsteadOfAResponseIsBadGateway() {
        upstream.respond(request -> "SSH-2.0-OpenSSH_9.2\r\n\r\n");
        HttpResponse<String> r = get("/x");
        assertEquals(502, r.statusCode());
        assertTrue(r.body().startsWith("Bad Gateway"), r.body());
    }

    @Test
    void conflictingContentLengthsAreBadGateway() {
        upstream.respond(request -> "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nabc");
        assertEquals(502, get("/x").statusCode());
    }

    @Test
    void closeWithoutAnswerIsBadGateway() {
        upstream.respond(request -> null);
        assertEquals(502, get("/x").statusCode());
    }

    @Test
    void requestHeadIsSentAsTheClientWroteIt() {
        upstream.respond(request -> "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        String raw = Http.raw(harp.port(), "GET /exapps/wire/a//b/%2e/c%2Fd;p=1?q=%41+b&&x HTTP/1.1\r\nHost: cloud\r\n"
                + "User-Agent: client/1");
        assertEquals(200, Http.status(raw));
        RawExApp.Received head = upstream.next();
        assertEquals("GET /a//b/%2e/c%2Fd;p=1?q=%41+b&&x HTTP/1.1", head.requestLine());
        assertTrue(head.headerLines().contains("Host: cloud"), head.headerLines().toString());
        assertTrue(head.headerLines().contains("User-Agent: client/1"), head.headerLines().toString());
        assertFalse(head.headerNames().contains("proxy-connection"), head.headerLines().toString());
        assertFalse(head.headerNames().contains("content-length"), head.headerLines().toString());
        assertFalse(head.headerNames().contains("transfer-encoding"), head.headerLines().toString());
    }

    @Test
    void fixedLengthUploadStaysFixedLength() {
        upstream.respond(request -> "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        String raw = Http.raw(harp.port(), "POST /exapps/wire/up HTTP/1.1\r\nHost: h\r\nContent-Length: 0");
        assertEquals(200, Http.status(raw));
        RawExApp.Received head = upstream.next();
        assertEquals(List.of("0"), head.headers("Content-Length"), head.headerLines().toString());
    }

    @Test
    void connectionsAreReusedAndADroppedIdleConnectionIsReplaced() {
        upstream.respond(request -> "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        for (int i = 0; i < 5; i++) {
            assertEquals(200, get("/k").statusCode());
        }
        assertEquals(1, upstream.connections());

        // The ExApp now drops every connection after one response, without announcing it.
        upstream.closeAfterEachResponse(true);
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> r = get("/k");
            assertEquals(200, r.statusCode(), "request " + i);
            assertEquals("ok", r.body());
        }
    }

    @Test
    void announcedCloseIsHonoured() {
        upstream.respond(request -> "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok");
        upstream.closeAfterEachResponse(true);
        for (int i = 0; i < 3; i++) {
            assertEquals("ok", get("/c").body());
        }
        assertEquals(3, upstream.connections());
    }
}
