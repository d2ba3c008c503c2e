package org.harpjava.server.listener;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.harpjava.server.testing.PublicAppProxy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * HTTP/1.0 clients (nginx's default towards upstreams) are served, and a {@code Connection: close} request gets
 * its connection closed after the response.
 */
class Http10AndCloseTest {
    private static final String KEY = "http10-key";
    private static final ObjectMapper JSON = new ObjectMapper();

    private PublicAppProxy proxy;

    @BeforeEach
    void start() throws IOException {
        proxy = PublicAppProxy.start(KEY, Map.of());
    }

    @AfterEach
    void stop() {
        proxy.close();
    }

    /** Sends {@code request} and reads until the server closes the connection; fails if it stays open. */
    private String exchange(String request) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            try {
                for (int n; (n = in.read(buf)) >= 0; ) {
                    out.write(buf, 0, n);
                }
            } catch (SocketTimeoutException e) {
                throw new AssertionError("connection still open after: " + out.toString(StandardCharsets.ISO_8859_1));
            }
            return out.toString(StandardCharsets.ISO_8859_1);
        }
    }

    private static JsonNode body(String response) throws IOException {
        String body = response.substring(response.indexOf("\r\n\r\n") + 4);
        if (response.toLowerCase().contains("transfer-encoding: chunked")) {
            StringBuilder b = new StringBuilder();
            int at = 0;
            while (true) {
                int eol = body.indexOf("\r\n", at);
                int size = Integer.parseInt(body.substring(at, eol).strip(), 16);
                if (size == 0) {
                    break;
                }
                b.append(body, eol + 2, eol + 2 + size);
                at = eol + 2 + size + 2;
            }
            body = b.toString();
        }
        return JSON.readTree(body);
    }

    @Test
    void http10RequestIsForwardedAndTheConnectionClosed() throws IOException {
        String response = exchange("GET /exapps/app/echo/a?x=1 HTTP/1.0\r\nHost: cloud.example\r\n\r\n");
        assertTrue(response.startsWith("HTTP/1.1 200"), response);
        JsonNode echo = body(response);
        assertEquals("/echo/a", echo.get("path").asText());
        assertEquals("x=1", echo.get("query").asText());
        assertEquals("cloud.example", echo.get("headers").get("host").get(0).asText());
        assertEquals("secret", new String(java.util.Base64.getDecoder().decode(
                echo.get("headers").get("authorization-app-api").get(0).asText())).substring(1));
    }

    @Test
    void http10WithoutHostGetsTheListenerAddress() throws IOException {
        String response = exchange("GET /exapps/app/echo HTTP/1.0\r\n\r\n");
        assertTrue(response.startsWith("HTTP/1.1 200"), response);
        assertEquals("127.0.0.1:" + proxy.port(), body(response).get("headers").get("host").get(0).asText());
    }

    @Test
    void http10KeepAliveStillClosesAfterOneResponse() throws IOException {
        String response = exchange("GET /exapps/app/echo HTTP/1.0\r\nHost: h\r\nConnection: keep-alive\r\n"
                + "Keep-Alive: timeout=5\r\n\r\n");
        assertTrue(response.startsWith("HTTP/1.1 200"), response);
        JsonNode headers = body(response).get("headers");
        assertFalse(headers.has("keep-alive"), headers.toString());
    }

    @Test
    void http10BodyReachesTheExApp() throws IOException {
        String response = exchange("POST /exapps/app/echo HTTP/1.0\r\nHost: h\r\nContent-Length: 11\r\n\r\nhello world");
        assertTrue(response.startsWith("HTTP/1.1 200"), response);
        assertEquals("hello world", body(response).get("body").asText());
        assertEquals("POST", body(response).get("method").asText());
    }

    @Test
    void http10RefusalsAreTheUsualOnes() throws IOException {
        assertTrue(exchange("GET /exapps/nope/x HTTP/1.0\r\n\r\n").startsWith("HTTP/1.1 404"));
        assertTrue(exchange("GET /exapps/app/heartbeat HTTP/1.0\r\n\r\n").startsWith("HTTP/1.1 403"));
    }

    @Test
    void oversizedHttp10HeadIsRefused() throws IOException {
        String response = exchange("GET /exapps/app/echo HTTP/1.0\r\nX-Big: " + "a".repeat(40_000) + "\r\n\r\n");
        assertTrue(response.startsWith("HTTP/1.1 4") || response.startsWith("HTTP/1.1 5"), response);
        assertEquals(0, proxy.exapp().requests());
    }

    @Test
    void otherHttpVersionsAreStillRefused() throws IOException {
        String response = exchange("GET /exapps/app/echo HTTP/0.9\r\n\r\n");
        // Helidon answers 505 or drops the connection; either way nothing reaches the ExApp.
        assertFalse(response.startsWith("HTTP/1.1 2"), response);
        assertEquals(0, proxy.exapp().requests());
    }

    @Test
    void http11ConnectionCloseClosesAfterForwardedAndLocalResponses() throws IOException {
        String forwarded = exchange("GET /exapps/app/echo HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
        assertTrue(forwarded.startsWith("HTTP/1.1 200"), forwarded);
        assertEquals("/echo", body(forwarded).get("path").asText());
        String refused = exchange("GET /exapps/app/init HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
        assertTrue(refused.startsWith("HTTP/1.1 403"), refused);
        String control = exchange("GET /exapps/app_api/heartbeat HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
        assertTrue(control.startsWith("HTTP/1.1 401"), control);
    }

    @Test
    void http11KeepAliveServesSeveralRequestsOnOneConnection() throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
            s.setSoTimeout(5000);
            String one = "GET /exapps/app/echo HTTP/1.1\r\nHost: h\r\n\r\n";
            s.getOutputStream().write((one + one).getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = s.getInputStream();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            while (out.toString(StandardCharsets.ISO_8859_1).split("HTTP/1.1 200", -1).length < 3) {
                int n = in.read(buf);
                assertTrue(n > 0, "connection closed early: " + out);
                out.write(buf, 0, n);
            }
        }
        assertEquals(2, proxy.exapp().requests());
    }
}
