package org.harpjava.server.proxy;

import org.harpjava.server.HarpServer;
import org.harpjava.server.testing.FakeNextcloud;
import org.harpjava.server.testing.Harp;
import org.harpjava.server.testing.Http;
import org.harpjava.server.testing.WsClient;
import org.harpjava.server.testing.WsExApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * WebSockets through harp-server to a real WebSocket ExApp: the handshake decided as any request, then frames of
 * every kind relayed unchanged both ways.
 */
class WebSocketTest {
    private static final String KEY = "ws-shared-key";
    private static final String SECRET = "ws-app-secret";
    private static final String[] USER = {"Cookie", "oc_sessionPassphrase=alice-session"};
    private static final String[] ADMIN = {"Cookie", "oc_sessionPassphrase=root-session"};

    private static WsExApp exapp;
    private static FakeNextcloud nextcloud;
    private static HarpServer harp;
    private static int deadPort;

    @BeforeAll
    static void start() throws Exception {
        exapp = new WsExApp();
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            deadPort = s.getLocalPort();
        }
        String routes = """
                [{"url":"^/public/","access_level":0,"bruteforce_protection":[]},
                 {"url":"^/admin/","access_level":2,"bruteforce_protection":[]},
                 {"url":"^/ws","access_level":1,"bruteforce_protection":[]},
                 {"url":"^/plain","access_level":1,"bruteforce_protection":[]}]""";
        nextcloud = new FakeNextcloud(KEY)
                .app("chat", SECRET, exapp.port(), routes)
                .app("down", SECRET, deadPort, routes)
                .session("alice-session", "alice", 1)
                .session("root-session", "root", 2);
        Map<String, String> env = Harp.nextcloud(nextcloud, KEY);
        env.put("HP_BLACKLIST_COUNT", "0");
        env.put("HP_TIMEOUT_CLIENT", "1s");
        harp = Harp.start(env);
    }

    @AfterAll
    static void stop() {
        harp.stop();
        nextcloud.close();
        exapp.close();
    }

    private static URI uri(String path) {
        return URI.create("ws://127.0.0.1:" + harp.port() + path);
    }

    @Test
    void echoesTextAndBinary() throws Exception {
        try (WsClient c = WsClient.connect(uri("/exapps/chat/ws"), List.of(), USER)) {
            c.text("hello, ExApp", true);
            assertEquals(new WsClient.Text("hello, ExApp"), c.next(5));
            byte[] data = {0, 1, 2, (byte) 0xff, 42};
            c.binary(data, true);
            WsClient.Binary b = assertInstanceOf(WsClient.Binary.class, c.next(5));
            assertEquals(5, b.length());
            assertEquals(HexFormat.of().formatHex(data), HexFormat.of().formatHex(b.bytes()));
        }
    }

    @Test
    void sixteenMebibyteMessageArrivesIntact() throws Exception {
        byte[] data = new byte[16 * 1024 * 1024];
        new SplittableRandom(7).nextBytes(data);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        try (WsClient c = WsClient.connect(uri("/exapps/chat/ws"), List.of(), USER)) {
            c.binary(data, true);
            data = null;
            WsClient.Binary b = assertInstanceOf(WsClient.Binary.class, c.next(180));
            assertEquals(16L * 1024 * 1024, b.length());
            assertEquals(sha, b.sha256());
        }
    }

    @Test
    void fragmentedMessageStaysFragmented() throws Exception {
        try (WsClient c = WsClient.connect(uri("/exapps/chat/ws"), true, List.of(), USER)) {
            c.text("one-", false);
            c.text("two-", false);
            c.text("three", true);
            StringBuilder all = new StringBuilder();
            int fragments = 0;
            while (true) {
                WsClient.Fragment f = assertInstanceOf(WsClient.Fragment.class, c.next(5));
                all.append(f.text());
                fragments++;
                if (f.last()) {
                    break;
                }
            }
            assertEquals("one-two-three", all.toString());
            assertTrue(fragments >= 3, "fragments seen: " + fragments);
        }
    }

    @Test
    void closeFromTheClientReachesTheExApp() throws Exception {
        exapp.closes().clear();
        try (WsClient c = WsClient.connect(uri("/exapps/chat/ws"), List.of(), USER)) {
            c.close(4001, "client done");
            assertTrue(nextClose("4001 client done"), "the ExApp did not get the client's close");
            // The ExApp answers the close with its own code (Helidon's: 1000).
            assertInstanceOf(WsClient.Closed.class, c.next(5));
        }
    }

    @Test
    void closeFromTheExAppReachesTheClient() throws Exception {
        double before = metric("harp_tunnel_close_codes_total{app=\"chat\",code=\"4xxx\",direction=\"to_client\"");
        double messagesBefore = metric("harp_tunnel_messages_total{app=\"chat\",direction=\"to_exapp\"");
        try (WsClient c = WsClient.connect(uri("/exapps/chat/ws"), List.of(), USER)) {
            c.text("close:4002:exapp done", true);
            assertEquals(new WsClient.Closed(4002, "exapp done"), c.next(5));
        } catch (java.net.http.WebSocketHandshakeException e) {
            throw new AssertionError(e);
        }
        waitFor(() -> metric("harp_tunnel_close_codes_total{app=\"chat\",code=\"4xxx\",direction=\"to_client\"")
                == before + 1);
        assertTrue(metric("harp_tunnel_messages_total{app=\"chat\",direction=\"to_exapp\"") >= messagesBefore + 1);
    }

    /** The value of the metric series whose line starts with {@code series}, 0 when absent. */
    private double metric(String series) {
        String text = Http.get(harp.managementPort(), "/metrics").body();
        return text.lines().filter(l -> l.startsWith(series)).findFirst()
                .map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).orElse(0.0);
    }

    @Test
    void handshakeCarriesTheAppApiHeadersAndNotTheClientsOwn() throws Exception {
        try (WsClient c = WsClient.connect(uri("/exapps/chat/ws?room=7"), List.of(), "Cookie",
                "oc_sessionPassphrase=alice-session", "AUTHORIZATION-APP-API", "Zm9yZ2VkOnNlY3JldA==",
                "EX-APP-ID", "forged")) {
            c.text("headers", true);
            String headers = assertInstanceOf(WsClient.Text.class, c.next(5)).text();
            String expected = Base64.getEncoder().encodeToString(("alice:" + SECRET).getBytes(StandardCharsets.UTF_8));
            assertTrue(headers.contains("authorization-app-api: " + expected + "\n"), headers);
            assertFalse(headers.contains("Zm9yZ2Vk"), headers);
            assertTrue(headers.contains("ex-app-id: chat\n"), headers);
            assertFalse(headers.contains("ex-app-id: forged"), headers);
            assertTrue(headers.contains("ex-app-version: 1.2.3\n"), headers);
            assertTrue(headers.contains("sec-websocket-key: "), headers);
            assertTrue(headers.toLowerCase().contains("upgrade: websocket\n"), headers);
            assertTrue(headers.contains("x-forwarded-for: 127.0.0.1\n"), headers);
        }
    }

    @Test
    void subprotocolIsNegotiatedWithTheExApp() throws Exception {
        try (WsClient c = WsClient.connect(uri("/exapps/chat/ws"), List.of("chat.v1", "chat.v2"), USER)) {
            assertEquals("chat.v2", c.subprotocol());
        }
        try (WsClient c = WsClient.connect(uri("/exapps/chat/ws"), List.of(), USER)) {
            assertEquals("", c.subprotocol());
        }
    }

    @ParameterizedTest(name = "{0} as {1} -> {2}")
    @CsvSource({
            "/exapps/chat/public/ws, anonymous, 101", "/exapps/chat/public/ws, user, 101",
            "/exapps/chat/public/ws, admin, 101",
            "/exapps/chat/ws, anonymous, 403", "/exapps/chat/ws, user, 101", "/exapps/chat/ws, admin, 101",
            "/exapps/chat/admin/ws, anonymous, 403", "/exapps/chat/admin/ws, user, 403",
            "/exapps/chat/admin/ws, admin, 101",
            "/exapps/chat/nowhere, admin, 404", "/exapps/no-such-app/ws, admin, 404",
            "/exapps/chat/init, admin, 403", "/exapps/chat/heartbeat, anonymous, 403",
            "/elsewhere/ws, admin, 404"})
    void handshakeIsDecidedLikeAnyRequest(String path, String who, int expected) {
        String[] headers = switch (who) {
            case "anonymous" -> new String[0];
            case "user" -> USER;
            case "admin" -> ADMIN;
            default -> throw new IllegalArgumentException(who);
        };
        assertEquals(expected, WsClient.handshakeStatus(uri(path), headers));
    }

    @Test
    void refusedHandshakeGetsAPlainResponseAndTheConnectionCloses() throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), harp.port())) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(handshake("/exapps/chat/admin/ws", "").getBytes(StandardCharsets.ISO_8859_1));
            String all = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(all.startsWith("HTTP/1.1 403 Forbidden\r\n"), all);
            assertTrue(all.contains("\r\nConnection: close\r\n"), all);
            assertTrue(all.endsWith("Forbidden: the user may not use this route\n") || all.contains("\r\n\r\nForbidden"), all);
        }
    }

    @Test
    void handshakeTheExAppDoesNotSwitchIsRelayedAsAResponse() throws Exception {
        assertEquals(200, WsClient.handshakeStatus(uri("/exapps/chat/plain"), USER));
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), harp.port())) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(handshake("/exapps/chat/plain", "Cookie: oc_sessionPassphrase=alice-session\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            String all = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(all.startsWith("HTTP/1.1 200 "), all);
            assertTrue(all.endsWith("\r\n\r\nplain"), all);
        }
    }

    @Test
    void unreachableExAppIsABadGatewayBeforeAnyUpgrade() {
        assertEquals(502, WsClient.handshakeStatus(uri("/exapps/down/ws"), USER));
    }

    @Test
    void idleSocketOutlivesTheClientTimeout() throws Exception {
        try (WsClient c = WsClient.connect(uri("/exapps/chat/ws"), List.of(), USER)) {
            Thread.sleep(2500);
            assertNull(c.poll(10));
            c.text("still here", true);
            assertEquals(new WsClient.Text("still here"), c.next(5));
        }
    }

    @Test
    void clientDisappearingClosesTheExAppSide() throws Exception {
        waitFor(() -> harp.openTunnels() == 0);
        exapp.closes().clear();
        WsClient c = WsClient.connect(uri("/exapps/chat/ws"), List.of(), USER);
        c.text("x", true);
        c.next(5);
        assertEquals(1, harp.openTunnels());
        c.close();
        String close = exapp.closes().poll(10, TimeUnit.SECONDS);
        assertTrue(close != null, "the ExApp never learnt of the end");
        waitFor(() -> harp.openTunnels() == 0);
    }

    @Test
    void exAppDyingMidSessionClosesTheClient() throws Exception {
        try (ServerSocket dying = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            nextcloud.app("dying", SECRET, dying.getLocalPort(), "[{\"url\":\"^/\",\"access_level\":0}]");
            Thread server = Thread.ofVirtual().start(() -> {
                try (Socket s = dying.accept()) {
                    String key = readHeadKey(s.getInputStream());
                    s.getOutputStream().write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                            + "Connection: Upgrade\r\nSec-WebSocket-Accept: " + accept(key) + "\r\n\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1));
                    s.getOutputStream().write(new byte[] {(byte) 0x81, 2, 'h', 'i'});
                    s.getOutputStream().flush();
                    Thread.sleep(300);
                    s.setSoLinger(true, 0);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            try (WsClient c = WsClient.connect(uri("/exapps/dying/ws"), List.of())) {
                assertEquals(new WsClient.Text("hi"), c.next(5));
                WsClient.Closed closed = assertInstanceOf(WsClient.Closed.class, c.next(10));
                assertTrue(closed.code() == 1006 || closed.code() == 1011 || closed.code() == 1001, closed.toString());
            }
            server.join(5000);
            waitFor(() -> harp.openTunnels() == 0);
        }
    }

    /** Whether the ExApp receives {@code expected} within 5 s (closes of earlier tests' sockets may come first). */
    private static boolean nextClose(String expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            if (expected.equals(exapp.closes().poll(100, TimeUnit.MILLISECONDS))) {
                return true;
            }
        }
        return false;
    }

    static String handshake(String path, String extra) {
        return "GET " + path + " HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n" + extra + "\r\n";
    }

    static String readHeadKey(InputStream in) throws java.io.IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new java.io.EOFException();
            }
            head.append((char) b);
        }
        for (String line : head.toString().split("\r\n")) {
            if (line.toLowerCase().startsWith("sec-websocket-key:")) {
                return line.substring(line.indexOf(':') + 1).strip();
            }
        }
        throw new IllegalStateException("no key in " + head);
    }

    static String accept(String key) throws Exception {
        byte[] sha = MessageDigest.getInstance("SHA-1").digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")
                .getBytes(StandardCharsets.ISO_8859_1));
        return Base64.getEncoder().encodeToString(sha);
    }

    static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(20);
        }
    }

    @Test
    void manySocketsAtOnceAreAllReleased() throws Exception {
        int n = 1000;
        int threadsBefore = Thread.activeCount();
        List<WsClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                clients.add(WsClient.connect(uri("/exapps/chat/ws"), List.of(), USER));
            }
            try {
                waitFor(() -> harp.openTunnels() == n);
            } catch (AssertionError e) {
                throw new AssertionError("open tunnels: " + harp.openTunnels(), e);
            }
            for (int i = 0; i < n; i++) {
                clients.get(i).text("n" + i, true);
            }
            for (int i = 0; i < n; i++) {
                assertEquals(new WsClient.Text("n" + i), clients.get(i).next(10));
            }
        } finally {
            clients.forEach(WsClient::close);
        }
        waitFor(() -> harp.openTunnels() == 0);
        waitFor(() -> exapp.openSessions() == 0);
        // Virtual threads do not show in activeCount; platform threads must not have grown with the sockets. The
        // scheduler may add a few carrier threads under load (they linger idle), far fewer than one per socket.
        assertTrue(Thread.activeCount() < threadsBefore + n / 10, Thread.activeCount() + " threads, " + threadsBefore
                + " before, " + n + " sockets");
    }

    @Test
    void aClientThatDoesNotReadHoldsTheExAppBackInsteadOfFillingTheProxy() throws Exception {
        int messages = 1024;
        long floodedBefore = exapp.flooded();
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), harp.port())) {
            s.setSoTimeout(30_000);
            s.setReceiveBufferSize(64 * 1024);
            java.io.OutputStream out = s.getOutputStream();
            out.write(("GET /exapps/chat/ws HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                    + "Cookie: oc_sessionPassphrase=alice-session\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            java.io.InputStream in = new java.io.BufferedInputStream(s.getInputStream());
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                head.append((char) in.read());
            }
            assertTrue(head.toString().startsWith("HTTP/1.1 101"), head.toString());
            byte[] command = ("flood:" + messages).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            byte[] frame = new byte[6 + command.length];
            frame[0] = (byte) 0x81;
            frame[1] = (byte) (0x80 | command.length);
            System.arraycopy(command, 0, frame, 6, command.length); // masking key 0: payload as is
            out.write(frame);
            out.flush();

            // 64 MiB are ready to go, but this client reads nothing: the ExApp must be held back by the full
            // socket buffers along the way, not have its messages pile up in the proxy.
            Thread.sleep(2000);
            long inFlight = exapp.flooded() - floodedBefore;
            assertTrue(inFlight < messages / 4, inFlight + " of " + messages + " messages left the ExApp");

            long payload = 0;
            while (payload < (long) messages * 64 * 1024) {
                int b0 = in.read();
                int len7 = in.read() & 0x7f;
                assertEquals(0x82, b0, "a final binary frame");
                long len = len7;
                if (len7 == 126) {
                    len = (in.read() << 8) | in.read();
                } else if (len7 == 127) {
                    len = 0;
                    for (int i = 0; i < 8; i++) {
                        len = (len << 8) | in.read();
                    }
                }
                long skipped = 0;
                while (skipped < len) {
                    long n = in.skip(len - skipped);
                    assertTrue(n > 0 || in.read() >= 0, "stream ended inside a frame");
                    skipped += n > 0 ? n : 1;
                }
                payload += len;
            }
            assertEquals((long) messages * 64 * 1024, payload);
            waitFor(() -> exapp.flooded() - floodedBefore == messages);
        }
    }
}
