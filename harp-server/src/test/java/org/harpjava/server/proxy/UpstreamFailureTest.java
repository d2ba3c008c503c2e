package org.harpjava.server.proxy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.management.HotSpotDiagnosticMXBean;
import org.harpjava.server.HarpServer;
import org.harpjava.server.testing.FakeNextcloud;
import org.harpjava.server.testing.Harp;
import org.harpjava.server.testing.Http;
import org.harpjava.server.testing.RawConnection;
import org.harpjava.server.testing.TestExApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What the client sees when the ExApp or the client itself fails: refused and silent ExApps, connection timeouts,
 * responses that break off, uploads the client abandons; and that healthy traffic reuses pooled connections.
 */
class UpstreamFailureTest {
    private static final String KEY = "failure-key";
    private static final String PUBLIC = "[{\"url\":\"^/\",\"access_level\":0}]";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static TestExApp exapp;
    private static FakeNextcloud nextcloud;
    private static HarpServer harp;
    private static ServerSocket blackHole;
    private static final List<Socket> backlog = new ArrayList<>();
    private static final CompletableFuture<Long> sinkRead = new CompletableFuture<>();
    private static final CompletableFuture<Long> endlessWritten = new CompletableFuture<>();

    @BeforeAll
    static void start() throws Exception {
        exapp = new TestExApp()
                .route("/cut-fixed", (req, res) -> {
                    res.contentLength(1_000_000);
                    OutputStream out = res.outputStream();
                    out.write(new byte[100_000]);
                    out.flush();
                    throw new IllegalStateException("ExApp dies mid-body");
                })
                .route("/cut-chunked", (req, res) -> {
                    OutputStream out = res.outputStream();
                    out.write(new byte[100_000]);
                    out.flush();
                    throw new IllegalStateException("ExApp dies mid-body");
                })
                .route("/endless", (req, res) -> {
                    long total = 0;
                    byte[] block = new byte[64 * 1024];
                    try (OutputStream out = res.outputStream()) {
                        while (total < 1L << 40) {
                            out.write(block);
                            total += block.length;
                        }
                    } catch (IOException | RuntimeException e) {
                        endlessWritten.complete(total);
                        throw e;
                    }
                })
                .route("/sink", (req, res) -> {
                    long total = 0;
                    byte[] buf = new byte[64 * 1024];
                    try (InputStream in = req.content().inputStream()) {
                        int n;
                        while ((n = in.read(buf)) >= 0) {
                            total += n;
                        }
                    } catch (RuntimeException e) {
                        sinkRead.complete(total);
                        throw e;
                    }
                    sinkRead.complete(total);
                    res.send("read " + total);
                });
        int refused;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            refused = s.getLocalPort();
        }
        blackHole = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        nextcloud = new FakeNextcloud(KEY)
                .app("app", "secret", exapp.port(), PUBLIC)
                .app("refused", "secret", refused, PUBLIC)
                .app("blackhole", "secret", blackHole.getLocalPort(), PUBLIC);
        Map<String, String> env = Harp.nextcloud(nextcloud, KEY);
        env.put("HP_TIMEOUT_CONNECT", "500ms");
        env.put("HP_TIMEOUT_SERVER", "2s");
        harp = Harp.start(env);
    }

    @AfterAll
    static void stop() throws IOException {
        harp.stop();
        nextcloud.close();
        exapp.close();
        for (Socket s : backlog) {
            s.close();
        }
        blackHole.close();
    }

    @Test
    void refusedConnectionIsBadGateway() {
        HttpResponse<String> res = Http.get(harp.port(), "/exapps/refused/page");
        assertEquals(502, res.statusCode());
        assertTrue(res.body().startsWith("Bad Gateway"), res.body());
        assertTrue(res.body().length() < 100, "a short text, no stack trace: " + res.body());
        assertEquals("text/plain; charset=utf-8", res.headers().firstValue("content-type").orElse(""));
    }

    @Test
    void silentExAppIsGatewayTimeoutAfterTheServerTimeout() {
        long start = System.nanoTime();
        HttpResponse<String> res = Http.get(harp.port(), "/exapps/app/slow?ms=6000");
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(504, res.statusCode(), res.body());
        assertTrue(res.body().startsWith("Gateway Timeout"), res.body());
        assertTrue(millis >= 1900 && millis < 5000, "answered after " + millis + " ms with HP_TIMEOUT_SERVER=2s");
    }

    @Test
    void silenceInTheMiddleOfAStreamBeyondTheServerTimeoutCutsIt() throws Exception {
        long start = System.nanoTime();
        try (RawConnection c = new RawConnection(harp.port())) {
            c.sendHead("GET /exapps/app/sse?n=3&gapMs=3500 HTTP/1.1\r\nHost: test");
            byte[] all = c.inputStream().readAllBytes();
            String text = new String(all, java.nio.charset.StandardCharsets.US_ASCII);
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(text.contains("data: event 0"), text);
            assertTrue(!text.contains("data: event 1") && !text.endsWith("0\r\n\r\n"), "cut, not completed: " + text);
            assertTrue(millis >= 1900 && millis < 3400, "cut after " + millis + " ms with HP_TIMEOUT_SERVER=2s");
        }
    }

    /**
     * A listening socket whose accept queue is full drops new SYNs (Linux, {@code tcp_abort_on_overflow=0}), so a
     * connection attempt hangs as it would towards a black-holed address.
     */
    @Test
    void unansweredConnectIsGatewayTimeoutAfterTheConnectTimeout() throws Exception {
        assumeTrue(fillBacklog(), "this system completes connections beyond the accept queue");
        long start = System.nanoTime();
        HttpResponse<String> res = Http.get(harp.port(), "/exapps/blackhole/page");
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(504, res.statusCode(), res.body());
        assertTrue(millis >= 450 && millis < 1800, "answered after " + millis + " ms with HP_TIMEOUT_CONNECT=500ms");
    }

    private static boolean fillBacklog() {
        InetSocketAddress target = new InetSocketAddress(InetAddress.getLoopbackAddress(), blackHole.getLocalPort());
        for (int i = 0; i < 20; i++) {
            Socket s = new Socket();
            try {
                s.connect(target, 300);
                backlog.add(s);
            } catch (IOException e) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closing an unconnected socket
                }
                return true;
            }
        }
        return false;
    }

    @Test
    void fixedLengthResponseCutByTheExAppFailsAtTheClient() {
        IOException e = assertThrows(IOException.class, () -> Http.client().send(
                Http.request(harp.port(), "/exapps/app/cut-fixed").build(), HttpResponse.BodyHandlers.ofByteArray()));
        assertTrue(e.getMessage() != null, e.toString());
        assertEquals(200, Http.get(harp.port(), "/exapps/app/after-cut").statusCode());
    }

    @Test
    void chunkedResponseCutByTheExAppFailsAtTheClient() {
        assertThrows(IOException.class, () -> Http.client().send(
                Http.request(harp.port(), "/exapps/app/cut-chunked").build(), HttpResponse.BodyHandlers.ofByteArray()));
        assertEquals(200, Http.get(harp.port(), "/exapps/app/after-cut").statusCode());
    }

    @Test
    void keepAliveConnectionsToTheExAppAreReused() throws Exception {
        try (TestExApp fresh = new TestExApp();
             FakeNextcloud nc = new FakeNextcloud(KEY).app("pooled", "s", fresh.port(), PUBLIC)) {
            assertEquals(1, connectionsFor(fresh, nc, Map.of()), "10 requests in a row share one connection");
        }
        try (TestExApp fresh = new TestExApp();
             FakeNextcloud nc = new FakeNextcloud(KEY).app("pooled", "s", fresh.port(), PUBLIC)) {
            assertEquals(10, connectionsFor(fresh, nc, Map.of("HP_UPSTREAM_POOL_SIZE", "0")),
                    "without a pool every request opens a connection");
        }
    }

    private static int connectionsFor(TestExApp exapp, FakeNextcloud nc, Map<String, String> extra) throws Exception {
        Map<String, String> env = Harp.nextcloud(nc, KEY);
        env.putAll(extra);
        HarpServer server = Harp.start(env);
        try {
            for (int i = 0; i < 10; i++) {
                HttpResponse<String> res = i % 2 == 0
                        ? Http.get(server.port(), "/exapps/pooled/echo/" + i)
                        : Http.send(Http.request(server.port(), "/exapps/pooled/echo/" + i)
                        .POST(HttpRequest.BodyPublishers.ofString("body " + i)).build());
                assertEquals(200, res.statusCode());
                assertEquals("/echo/" + i, JSON.readTree(res.body()).get("path").asText());
            }
            assertEquals(10, exapp.requests());
            return exapp.connections();
        } finally {
            server.stop();
        }
    }

    @Test
    void uploadAbandonedByTheClientFreesEverything() throws Exception {
        try (RawConnection c = new RawConnection(harp.port())) {
            c.sendHead("POST /exapps/app/sink HTTP/1.1\r\nHost: test\r\nContent-Length: " + (50 << 20));
            for (int i = 0; i < 16; i++) {
                c.send(new byte[64 * 1024]);
            }
            Thread.sleep(200);
            c.reset();
        }
        long read = sinkRead.get(3, TimeUnit.SECONDS);
        assertTrue(read < 50 << 20, "the ExApp's request ended early, after " + read + " bytes");
        awaitNoThreadIn("org.harpjava.server.proxy.UpstreamClient");

        for (int i = 0; i < 5; i++) {
            HttpResponse<String> res = Http.send(Http.request(harp.port(), "/exapps/app/echo")
                    .POST(HttpRequest.BodyPublishers.ofString("after abort " + i)).build());
            assertEquals(200, res.statusCode(), res.body());
            assertEquals("after abort " + i, JSON.readTree(res.body()).get("body").asText());
        }
    }

    @Test
    void downloadAbandonedByTheClientFreesEverything() throws Exception {
        try (RawConnection c = new RawConnection(harp.port())) {
            c.sendHead("GET /exapps/app/endless HTTP/1.1\r\nHost: test");
            assertEquals(1 << 20, c.inputStream().readNBytes(1 << 20).length);
            c.reset();
        }
        long written = endlessWritten.get(3, TimeUnit.SECONDS);
        assertTrue(written < 1L << 40, "the ExApp could not write on after " + written + " bytes");
        awaitNoThreadIn("org.harpjava.server.proxy.UpstreamClient");
        assertEquals(200, Http.get(harp.port(), "/exapps/app/after-download").statusCode());
    }

    /** An ExApp that closes idle keep-alive connections (as uvicorn does after 5 s) must not cause failures. */
    @Test
    void idleConnectionsClosedByTheExAppAreNotReused() throws Exception {
        try (ServerSocket closing = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             FakeNextcloud nc = new FakeNextcloud(KEY).app("closing", "s", closing.getLocalPort(), PUBLIC)) {
            Thread.ofVirtual().start(() -> answerOnceAndCloseWhenIdle(closing));
            HarpServer server = Harp.start(Harp.nextcloud(nc, KEY));
            try {
                for (int i = 0; i < 4; i++) {
                    HttpRequest.Builder request = Http.request(server.port(), "/exapps/closing/page" + i);
                    HttpResponse<String> res = Http.send(i % 2 == 0 ? request.GET().build()
                            : request.POST(HttpRequest.BodyPublishers.ofString("a body that cannot be sent twice")).build());
                    assertEquals(200, res.statusCode(), "request " + i + ": " + res.body());
                    assertEquals("served /page" + i, res.body());
                    Thread.sleep(300);
                }
            } finally {
                server.stop();
            }
        }
    }

    /** An ExApp that sends bytes after a bodiless answer must not get them read as the next response. */
    @Test
    void bytesAfterABodilessAnswerDoNotLeakIntoTheNextResponse() throws Exception {
        try (ServerSocket sloppy = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             FakeNextcloud nc = new FakeNextcloud(KEY).app("sloppy", "s", sloppy.getLocalPort(), PUBLIC)) {
            Thread.ofVirtual().start(() -> {
                while (!sloppy.isClosed()) {
                    try {
                        Socket s = sloppy.accept();
                        Thread.ofVirtual().start(() -> serveSloppily(s));
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            HarpServer server = Harp.start(Harp.nextcloud(nc, KEY));
            try {
                assertEquals(204, Http.get(server.port(), "/exapps/sloppy/nothing").statusCode());
                Thread.sleep(300);
                HttpResponse<String> next = Http.get(server.port(), "/exapps/sloppy/page");
                assertEquals(200, next.statusCode(), next.body());
                assertEquals("served /page", next.body());
            } finally {
                server.stop();
            }
        }
    }

    /** Answers 204 to {@code /nothing} and then sends a stray body 50 ms later; answers 200 to anything else. */
    private static void serveSloppily(Socket s) {
        try (s) {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            while (true) {
                StringBuilder head = new StringBuilder();
                while (head.indexOf("\r\n\r\n") < 0) {
                    int b = in.read();
                    if (b < 0) {
                        return;
                    }
                    head.append((char) b);
                }
                String path = head.toString().split(" ", 3)[1];
                if (path.equals("/nothing")) {
                    out.write("HTTP/1.1 204 No Content\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    out.flush();
                    Thread.sleep(50);
                    out.write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nstray".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                } else {
                    byte[] body = ("served " + path).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                    out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + body.length + "\r\n\r\n")
                            .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    out.write(body);
                }
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // the proxy closed the connection
        }
    }

    /** Serves one keep-alive response per connection and closes the connection 50 ms later. */
    private static void answerOnceAndCloseWhenIdle(ServerSocket server) {
        while (!server.isClosed()) {
            try (Socket s = server.accept()) {
                InputStream in = s.getInputStream();
                StringBuilder head = new StringBuilder();
                while (head.indexOf("\r\n\r\n") < 0) {
                    int b = in.read();
                    if (b < 0) {
                        break;
                    }
                    head.append((char) b);
                }
                String path = head.toString().split(" ", 3)[1];
                java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
                in.readNBytes(length.find() ? Integer.parseInt(length.group(1)) : 0);
                byte[] body = ("served " + path).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                s.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Length: " + body.length
                        + "\r\nConnection: keep-alive\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                s.getOutputStream().write(body);
                s.getOutputStream().flush();
                Thread.sleep(50);
            } catch (IOException | InterruptedException | RuntimeException e) {
                if (server.isClosed()) {
                    return;
                }
            }
        }
    }

    /** Waits until no thread, virtual ones included, runs code of {@code prefix}; fails after 5 s. */
    private static void awaitNoThreadIn(String prefix) throws Exception {
        HotSpotDiagnosticMXBean diagnostics = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        String dump = "";
        for (int i = 0; i < 50; i++) {
            Path file = Files.createTempDirectory("threads").resolve("dump.json");
            diagnostics.dumpThreads(file.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.JSON);
            dump = Files.readString(file);
            Files.delete(file);
            Files.delete(file.getParent());
            if (!dump.contains(prefix)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("a thread still runs " + prefix + ":\n" + dump);
    }
}
