package org.harpjava.exapp.transport;

import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import org.harpjava.exapp.AccessLevel;
import org.harpjava.exapp.Caller;
import org.harpjava.exapp.ExApp;
import org.harpjava.exapp.ExAppEnvironment;
import org.harpjava.exapp.Route;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** With {@code HP_SHARED_KEY} set (HaRP's FRP mode) the ExApp is reached on its unix socket, not on TCP. */
class UnixSocketTransportTest {
    static final class Api {
        @Route(path = "/user", access = AccessLevel.USER)
        void user(ServerResponse res, Caller caller) {
            res.send("hello " + caller.requireUser());
        }

        @Route(path = "/sha", methods = "POST")
        void sha(ServerRequest req, ServerResponse res) throws Exception {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[8192];
            try (var in = req.content().inputStream()) {
                for (int n; (n = in.read(buf)) >= 0; ) {
                    sha.update(buf, 0, n);
                }
            }
            res.send(HexFormat.of().formatHex(sha.digest()));
        }
    }

    private static String exchange(Path socket, byte[] request) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ByteBuffer out = ByteBuffer.wrap(request);
            while (out.hasRemaining()) {
                ch.write(out);
            }
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            ByteBuffer in = ByteBuffer.allocate(8192);
            while (ch.read(in) >= 0) {
                got.write(in.array(), 0, in.position());
                in.clear();
            }
            return got.toString(StandardCharsets.ISO_8859_1);
        }
    }

    private static String auth(String user) {
        return "EX-APP-ID: sock_app\r\nEX-APP-VERSION: 1\r\nAUTHORIZATION-APP-API: "
                + Base64.getEncoder().encodeToString((user + ":sock-secret").getBytes()) + "\r\n";
    }

    @Test
    void servesOnTheUnixSocket(@TempDir Path dir) throws Exception {
        Path socket = dir.resolve("exapp.sock");
        Files.writeString(socket, "stale file from an earlier run");
        Map<String, String> env = new HashMap<>(Map.of("APP_ID", "sock_app", "APP_SECRET", "sock-secret",
                "APP_VERSION", "1", "NEXTCLOUD_URL", "http://127.0.0.1:9", "HP_SHARED_KEY", "harp-key",
                "HP_EXAPP_SOCK", socket.toString(), "APP_PORT", "0"));
        try (ExApp app = ExApp.builder(ExAppEnvironment.from(env)).routes(new Api()).start()) {
            assertEquals(socket, app.unixSocket().orElseThrow());
            String heartbeat = exchange(socket, ("GET /heartbeat HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            assertTrue(heartbeat.startsWith("HTTP/1.1 200"), heartbeat);
            assertTrue(heartbeat.contains("\"status\":\"ok\""), heartbeat);

            String user = exchange(socket, ("GET /user HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" + auth("dave")
                    + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            assertTrue(user.endsWith("hello dave"), user);

            byte[] body = new byte[3 * 1024 * 1024];
            new java.util.Random(7).nextBytes(body);
            ByteArrayOutputStream req = new ByteArrayOutputStream();
            req.write(("POST /sha HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: " + body.length + "\r\n"
                    + auth("") + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            req.write(body);
            String sha = exchange(socket, req.toByteArray());
            assertTrue(sha.endsWith(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body))), sha);
        }
        assertFalse(Files.exists(socket), "the socket file is removed on stop");
    }
}
