package org.harpjava.e2e;

import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import org.harpjava.exapp.AccessLevel;
import org.harpjava.exapp.Caller;
import org.harpjava.exapp.ExApp;
import org.harpjava.exapp.ExAppEnvironment;
import org.harpjava.exapp.Route;
import org.harpjava.exapp.WebSocketRoute;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;
import org.harpjava.server.HarpServer;
import org.harpjava.server.config.ConfigLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * An ExApp written with exapp-sdk, behind a real harp-server in its standalone dev mode: users reach it through
 * {@code /exapps/<appid>/...} over HTTP and WebSocket, the proxy signs each request and handshake and the SDK
 * verifies the signature.
 */
class SdkExAppBehindHarpTest {
    private static final String SECRET = "e2e-app-secret";

    static final class NotesApi {
        @Route(path = "/public/ping", access = AccessLevel.PUBLIC)
        void ping(ServerResponse res, Caller caller) {
            res.send("pong for " + caller.userId().orElse("anonymous"));
        }

        @Route(path = "/api/notes", methods = {"GET", "POST"}, access = AccessLevel.USER)
        void notes(ServerRequest req, ServerResponse res, Caller caller) {
            String body = req.content().hasEntity() ? req.content().as(String.class) : "";
            res.send(req.prologue().method().text() + " notes of " + caller.requireUser() + body);
        }

        @WebSocketRoute(path = "/ws/echo", access = AccessLevel.USER)
        WsListener echo(Caller caller) {
            return new WsListener() {
                @Override
                public void onMessage(WsSession session, String text, boolean last) {
                    session.send(caller.requireUser() + ": " + text, last);
                }
            };
        }

        @Route(path = "/admin/stats", access = AccessLevel.ADMIN)
        void stats(ServerResponse res, Caller caller) {
            res.send("stats for " + caller.requireUser());
        }
    }

    private ExApp app;
    private HarpServer harp;
    private final HttpClient http = HttpClient.newHttpClient();

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @BeforeEach
    void start(@TempDir Path dir) throws IOException {
        int appPort = freePort();
        app = ExApp.builder(ExAppEnvironment.from(Map.of("APP_ID", "notes", "APP_SECRET", SECRET,
                        "APP_VERSION", "1.0.0", "APP_HOST", "127.0.0.1", "APP_PORT", Integer.toString(appPort),
                        "NEXTCLOUD_URL", "http://127.0.0.1:9")))
                .routes(new NotesApi())
                .start();
        Path config = dir.resolve("harp.yaml");
        Files.writeString(config, """
                harp:
                  exapps-address: 127.0.0.1:0
                  management-address: "off"
                  dev:
                    exapps:
                      - id: notes
                        version: 1.0.0
                        secret: %s
                        host: 127.0.0.1
                        port: %d
                        routes:
                          - url: "^/public/"
                            access_level: PUBLIC
                          - url: "^/api/"
                            verb: GET,POST
                            access_level: USER
                          - url: "^/admin/"
                            access_level: ADMIN
                          - url: "^/ws/"
                            access_level: USER
                    users:
                      - name: alice
                        password: alice-pw
                        access_level: USER
                      - name: root
                        password: root-pw
                        access_level: ADMIN
                """.formatted(SECRET, appPort));
        harp = HarpServer.start(ConfigLoader.load(Map.of(), Optional.of(config)));
    }

    @AfterEach
    void stop() {
        harp.stop();
        app.close();
    }

    private HttpResponse<String> call(String method, String path, String user, String password) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + harp.port() + "/exapps/notes" + path))
                .method(method, method.equals("POST") ? HttpRequest.BodyPublishers.ofString(" +1") : HttpRequest.BodyPublishers.noBody());
        if (user != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes()));
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void usersReachTheAppAsThemselves() throws Exception {
        assertEquals("pong for anonymous", call("GET", "/public/ping", null, null).body());
        assertEquals("pong for alice", call("GET", "/public/ping", "alice", "alice-pw").body());
        assertEquals("GET notes of alice", call("GET", "/api/notes", "alice", "alice-pw").body());
        assertEquals("POST notes of alice +1", call("POST", "/api/notes", "alice", "alice-pw").body());
        assertEquals("stats for root", call("GET", "/admin/stats", "root", "root-pw").body());
    }

    @Test
    void theProxyRefusesWhatTheRoutesDoNotAllow() throws Exception {
        assertEquals(401, call("GET", "/api/notes", null, null).statusCode(), "dev mode asks for a login");
        assertEquals(403, call("GET", "/admin/stats", "alice", "alice-pw").statusCode());
        assertEquals(404, call("DELETE", "/api/notes", "alice", "alice-pw").statusCode());
        assertEquals(404, call("GET", "/elsewhere", "alice", "alice-pw").statusCode());
    }

    @Test
    void lifecycleEndpointsAreOnlyForAppApi() throws Exception {
        assertEquals(403, call("GET", "/heartbeat", "root", "root-pw").statusCode());
        assertEquals(403, call("PUT", "/enabled?enabled=0", "root", "root-pw").statusCode());
    }

    @Test
    void webSocketsReachTheAppAsTheUser() throws Exception {
        CompletableFuture<String> reply = new CompletableFuture<>();
        WebSocket ws = http.newWebSocketBuilder()
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("alice:alice-pw".getBytes()))
                .buildAsync(URI.create("ws://127.0.0.1:" + harp.port() + "/exapps/notes/ws/echo"), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        reply.complete(data.toString());
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
        ws.sendText("hello through the proxy", true);
        assertEquals("alice: hello through the proxy", reply.get(10, TimeUnit.SECONDS));
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);
    }

    @Test
    void anonymousWebSocketHandshakeIsRefusedByTheProxy() {
        CompletionException e = assertThrows(CompletionException.class, () -> http.newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + harp.port() + "/exapps/notes/ws/echo"),
                        new WebSocket.Listener() { }).join());
        assertEquals(401, ((WebSocketHandshakeException) e.getCause()).getResponse().statusCode());
    }

    @Test
    void theAppRefusesCallsThatBypassTheProxy() throws Exception {
        HttpResponse<String> direct = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + app.port() + "/api/notes")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, direct.statusCode());
    }
}
