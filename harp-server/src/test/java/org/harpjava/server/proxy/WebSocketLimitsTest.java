package org.harpjava.server.proxy;

import org.harpjava.server.HarpServer;
import org.harpjava.server.testing.FakeNextcloud;
import org.harpjava.server.testing.Harp;
import org.harpjava.server.testing.WsClient;
import org.harpjava.server.testing.WsExApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bounds of tunnels: the idle timeout, the message size limit, bans on the handshake, and many sockets at once.
 */
class WebSocketLimitsTest {
    private static final String KEY = "ws-limits-key";
    private static final String[] USER = {"Cookie", "oc_sessionPassphrase=alice-session"};

    private static WsExApp exapp;
    private static FakeNextcloud nextcloud;
    private static HarpServer harp;

    @BeforeAll
    static void start() throws Exception {
        exapp = new WsExApp();
        nextcloud = new FakeNextcloud(KEY)
                .app("chat", "secret", exapp.port(), "[{\"url\":\"^/ws\",\"access_level\":1}]")
                .session("alice-session", "alice", 1);
        Map<String, String> env = Harp.nextcloud(nextcloud, KEY);
        env.put("HP_TIMEOUT_TUNNEL", "2s");
        env.put("HP_TIMEOUT_CLIENT", "1s");
        env.put("HP_TIMEOUT_SERVER", "1s");
        env.put("HP_WS_MAX_MESSAGE", "4096");
        env.put("HP_BLACKLIST_COUNT", "3");
        env.put("HP_TRUSTED_PROXY_IPS", "127.0.0.1");
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
    void idleTunnelIsClosedAfterTheTunnelTimeout() throws Exception {
        try (WsClient c = WsClient.connect(uri("/exapps/chat/ws"), List.of(), USER)) {
            c.text("a", true);
            c.next(5);
            long start = System.nanoTime();
            WsClient.Closed closed = assertInstanceOf(WsClient.Closed.class, c.next(10));
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(millis >= 1500 && millis < 6000, "closed after " + millis + " ms: " + closed);
        }
        WebSocketTest.waitFor(() -> harp.openTunnels() == 0);
    }

    @Test
    void trafficKeepsATunnelOpen() throws Exception {
        try (WsClient c = WsClient.connect(uri("/exapps/chat/ws"), List.of(), USER)) {
            for (int i = 0; i < 8; i++) {
                Thread.sleep(500);
                c.text("tick " + i, true);
                assertEquals(new WsClient.Text("tick " + i), c.next(5));
            }
        }
    }

    @Test
    void exAppSilentLongerThanTheServerTimeoutKeepsTheTunnel() throws Exception {
        try (WsClient c = WsClient.connect(uri("/exapps/chat/ws"), List.of(), USER)) {
            c.text("later:1600:still here", true);
            assertEquals(new WsClient.Text("still here"), c.next(5));
            c.text("and again", true);
            assertEquals(new WsClient.Text("and again"), c.next(5));
        }
    }

    @Test
    void messageOverTheLimitIsClosedWith1009() throws Exception {
        exapp.closes().clear();
        try (WsClient c = WsClient.connect(uri("/exapps/chat/ws"), List.of(), USER)) {
            c.binary(new byte[4096], true);
            assertEquals(4096, assertInstanceOf(WsClient.Binary.class, c.next(5)).length());
            c.binary(new byte[4097], true);
            assertEquals(new WsClient.Closed(1009, "message too big"), c.next(5));
            String close;
            do {
                close = exapp.closes().poll(5, TimeUnit.SECONDS);
            } while (close != null && !close.equals("1009 message too big"));
            assertEquals("1009 message too big", close);
        }
        WebSocketTest.waitFor(() -> harp.openTunnels() == 0);
    }

    @Test
    void repeatedRefusedHandshakesBanTheAddress() {
        String[] from = {"X-Forwarded-For", "203.0.113.77"};
        // Loopback is a trusted proxy here, so the ban falls on the forwarded address, not on the other tests.
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            statuses.add(WsClient.handshakeStatus(uri("/exapps/unknown-app/ws"), from));
        }
        assertEquals(List.of(404, 404, 404, 429), statuses);
        assertEquals(429, WsClient.handshakeStatus(uri("/exapps/chat/ws"), "X-Forwarded-For", "203.0.113.77",
                USER[0], USER[1]));
        assertEquals(101, WsClient.handshakeStatus(uri("/exapps/chat/ws"), USER));
    }
}
