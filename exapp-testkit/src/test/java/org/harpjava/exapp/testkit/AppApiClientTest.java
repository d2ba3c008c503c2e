package org.harpjava.exapp.testkit;

import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The AppAPI client against an echoing ExApp stand-in over TCP, and over a unix socket. */
class AppApiClientTest {
    private static WebServer echo;
    private static AppApiClient client;

    @BeforeAll
    static void start() {
        echo = WebServer.builder().host("127.0.0.1").port(0).featuresDiscoverServices(false).shutdownHook(false)
                .routing(r -> r.any((req, res) -> {
                    StringBuilder b = new StringBuilder(req.prologue().method().text()).append(' ')
                            .append(req.path().rawPath()).append('?').append(req.query().rawValue()).append('\n');
                    for (Header h : req.headers()) {
                        b.append(h.name().toLowerCase()).append(": ").append(h.get()).append('\n');
                    }
                    byte[] body = req.content().hasEntity() ? req.content().inputStream().readAllBytes() : new byte[0];
                    b.append("\n").append(new String(body, StandardCharsets.UTF_8));
                    res.header(HeaderNames.CONTENT_TYPE, "text/plain");
                    try (OutputStream out = res.outputStream()) {
                        out.write(b.toString().getBytes(StandardCharsets.UTF_8));
                    }
                })).build().start();
        client = AppApiClient.builder(URI.create("http://127.0.0.1:" + echo.port()), "my_app", "the-secret").build();
    }

    @AfterAll
    static void stop() {
        echo.stop();
    }

    private static String header(AppApiResponse r, String name) {
        for (String line : r.text().split("\n")) {
            if (line.startsWith(name.toLowerCase() + ": ")) {
                return line.substring(name.length() + 2);
            }
        }
        return null;
    }

    @Test
    void lifecycleCallsAreSignedAsAppApiSignsThem() {
        AppApiResponse enable = client.enable();
        assertEquals(200, enable.status());
        assertTrue(enable.text().startsWith("PUT /enabled?enabled=1\n"), enable.text());
        assertEquals("my_app", header(enable, "EX-APP-ID"));
        assertEquals("1.0.0", header(enable, "EX-APP-VERSION"));
        assertEquals("32", header(enable, "AA-VERSION"));
        assertEquals(Base64.getEncoder().encodeToString(":the-secret".getBytes()), header(enable, "AUTHORIZATION-APP-API"));
        assertTrue(header(enable, "AA-REQUEST-ID").length() >= 8);
        assertTrue(client.disable().text().startsWith("PUT /enabled?enabled=0\n"));
        AppApiResponse init = client.init();
        assertTrue(init.text().startsWith("POST /init?\n"), init.text());
        assertEquals("0", header(init, "Content-Length"));
        assertTrue(client.heartbeat().text().startsWith("GET /heartbeat?\n"));
        assertTrue(client.trigger("p 1").text().startsWith("POST /trigger?providerId=p+1\n"));
    }

    @Test
    void variantsForNegativeTests() {
        AppApiResponse alice = client.asUser("alice").postJson("/api/x", "{\"a\":1}");
        assertEquals(Base64.getEncoder().encodeToString("alice:the-secret".getBytes()),
                header(alice, "AUTHORIZATION-APP-API"));
        assertEquals("application/json", header(alice, "Content-Type"));
        assertTrue(alice.text().endsWith("\n{\"a\":1}"));
        AppApiResponse unsigned = client.unsigned().get("/api/x");
        assertEquals(null, header(unsigned, "EX-APP-ID"));
        assertEquals(null, header(unsigned, "AUTHORIZATION-APP-API"));
        assertEquals(Base64.getEncoder().encodeToString(":wrong".getBytes()),
                header(client.withSecret("wrong").get("/"), "AUTHORIZATION-APP-API"));
        assertEquals("", header(client.withAppVersion("").get("/"), "EX-APP-VERSION"));
        assertEquals("other", header(client.withAppId("other").get("/"), "EX-APP-ID"));
        assertEquals(null, header(client.withoutHeader("AA-VERSION").get("/"), "AA-VERSION"));
        AppApiResponse harp = AppApiClient.builder(URI.create("http://127.0.0.1:" + echo.port()), "my_app", "s")
                .viaHarp("shared", "127.0.0.1", 23000).build().get("/");
        assertEquals("shared", header(harp, "harp-shared-key"));
        assertEquals("23000", header(harp, "ex-app-port"));
    }

    @Test
    void reachesAnExAppOnAUnixSocketAndDecodesChunkedAnswers(@TempDir Path dir) throws Exception {
        Path socket = dir.resolve("exapp.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            CompletableFuture<String> seen = CompletableFuture.supplyAsync(() -> {
                try (SocketChannel ch = server.accept()) {
                    InputStream in = Channels.newInputStream(ch);
                    StringBuilder head = new StringBuilder();
                    while (!head.toString().endsWith("\r\n\r\n")) {
                        head.append((char) in.read());
                    }
                    OutputStream out = Channels.newOutputStream(ch);
                    out.write(("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-Test: yes\r\n\r\n"
                            + "5\r\n{\"sta\r\na\r\ntus\":\"ok\"}\r\n0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    return head.toString();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            AppApiResponse r = AppApiClient.builder(socket, "my_app", "s").build().heartbeat();
            assertEquals(200, r.status());
            assertEquals("{\"status\":\"ok\"}", r.text());
            assertEquals("ok", r.json().get("status").asText());
            assertEquals(Optional.of("yes"), r.header("x-test"));
            String head = seen.get();
            assertTrue(head.startsWith("GET /heartbeat HTTP/1.1\r\n"), head);
            assertTrue(head.contains("EX-APP-ID: my_app\r\n"), head);
            assertFalse(head.contains("Content-Length"), "a GET carries no body");
        }
    }
}
