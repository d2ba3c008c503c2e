package org.harpjava.exapp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;
import org.harpjava.exapp.lifecycle.SetupCheck;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A real ExApp server on loopback, called as AppAPI and the proxies call it. */
class ExAppTest {
    private static final String SECRET = "app-secret-123";
    private static final ObjectMapper JSON = new ObjectMapper();

    static final class Api {
        @Route(path = "/whoami", methods = "GET", access = AccessLevel.PUBLIC)
        void whoami(ServerResponse res, Caller caller) {
            res.send(caller.userId().orElse("(nobody)"));
        }

        @Route(path = "/items/{id}", methods = {"PUT"}, bruteforce = 401)
        void put(ServerRequest req, ServerResponse res) {
            res.send("stored " + req.path().pathParameters().get("id") + ": " + req.content().as(String.class));
        }

        @WebSocketRoute(path = "/ws")
        WsListener echo(Caller caller) {
            return new WsListener() {
                @Override
                public void onMessage(WsSession session, String text, boolean last) {
                    session.send(caller.userId().orElse("") + " says " + text, true);
                }
            };
        }
    }

    private final List<String> progress = new CopyOnWriteArrayList<>();
    private final List<Boolean> enabledCalls = new CopyOnWriteArrayList<>();
    private final AtomicInteger triggers = new AtomicInteger();
    private final CountDownLatch initDone = new CountDownLatch(1);
    private volatile boolean failEnable;
    private volatile boolean hugeCheck;
    private ExApp app;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() {
        app = ExApp.builder(ExAppEnvironment.from(Map.of("APP_ID", "test_app", "APP_SECRET", SECRET,
                        "APP_VERSION", "1.0.0", "APP_HOST", "127.0.0.1", "APP_PORT", "0",
                        "NEXTCLOUD_URL", "http://127.0.0.1:9")))
                .routes(new Api())
                .onEnabled(on -> {
                    if (failEnable) {
                        throw new IllegalStateException("cannot register the top menu");
                    }
                    enabledCalls.add(on);
                })
                .init(p -> {
                    p.report(50);
                })
                .initStatus((p, e) -> {
                    progress.add(p + e);
                    if (p == 100) {
                        initDone.countDown();
                    }
                })
                .setupCheck("model", () -> SetupCheck.Result.of(SetupCheck.Status.WARNING, "model not downloaded"))
                .setupCheck("huge", () -> hugeCheck
                        ? SetupCheck.Result.of(SetupCheck.Status.INFO, "x".repeat(300 * 1024))
                        : SetupCheck.Result.of(SetupCheck.Status.SUCCESS, "small"))
                .setupCheck("broken", () -> {
                    throw new IllegalStateException("boom");
                })
                .onTrigger(triggers::incrementAndGet)
                .start();
    }

    @AfterEach
    void stop() {
        app.close();
    }

    private HttpRequest.Builder request(String path, String user) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path));
        if (user != null) {
            b.header("EX-APP-ID", "test_app").header("EX-APP-VERSION", "1.0.0").header("AA-VERSION", "32")
                    .header("AUTHORIZATION-APP-API", Base64.getEncoder().encodeToString((user + ":" + SECRET)
                            .getBytes(StandardCharsets.UTF_8)));
        }
        return b;
    }

    private HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void heartbeatNeedsNoAuthentication() throws Exception {
        HttpResponse<String> r = send(request("/heartbeat", null));
        assertEquals(200, r.statusCode());
        assertEquals("ok", JSON.readTree(r.body()).get("status").asText());
    }

    @Test
    void unsignedRequestsAreRefusedWithJson() throws Exception {
        for (String path : List.of("/whoami", "/init", "/enabled?enabled=1", "/items/1", "/nothing-here")) {
            HttpResponse<String> r = send(request(path, null));
            assertEquals(401, r.statusCode(), path);
            assertTrue(JSON.readTree(r.body()).get("error").asText().startsWith("Unauthorized"), r.body());
        }
        assertTrue(enabledCalls.isEmpty());
    }

    @Test
    void wrongSecretIsRefused() throws Exception {
        HttpResponse<String> r = send(request("/whoami", null).header("EX-APP-ID", "test_app")
                .header("EX-APP-VERSION", "1").header("AUTHORIZATION-APP-API",
                        Base64.getEncoder().encodeToString("alice:guess".getBytes(StandardCharsets.UTF_8))));
        assertEquals(401, r.statusCode());
        assertFalse(r.body().contains("guess"));
    }

    @Test
    void handlersSeeTheCaller() throws Exception {
        assertEquals("alice", send(request("/whoami", "alice")).body());
        assertEquals("(nobody)", send(request("/whoami", "")).body());
        HttpResponse<String> put = send(request("/items/7", "bob").PUT(HttpRequest.BodyPublishers.ofString("x")));
        assertEquals("stored 7: x", put.body());
    }

    @Test
    void undeclaredMethodIsNotServed() throws Exception {
        HttpResponse<String> r = send(request("/items/7", "bob"));
        assertTrue(r.statusCode() == 404 || r.statusCode() == 405, String.valueOf(r.statusCode()));
    }

    @Test
    void initAnswersAtOnceAndReportsProgressTo100() throws Exception {
        HttpResponse<String> r = send(request("/init", "").POST(HttpRequest.BodyPublishers.noBody()));
        assertEquals(200, r.statusCode());
        assertTrue(initDone.await(5, TimeUnit.SECONDS), progress.toString());
        assertEquals(List.of("0", "100"), progress.stream().filter(p -> !p.equals("50")).toList());
    }

    @Test
    void enabledAlwaysAnswers200WithTheError() throws Exception {
        JsonNode on = JSON.readTree(send(request("/enabled?enabled=1", "").PUT(HttpRequest.BodyPublishers.noBody())).body());
        assertEquals("", on.get("error").asText());
        JsonNode off = JSON.readTree(send(request("/enabled?enabled=0", "").PUT(HttpRequest.BodyPublishers.noBody())).body());
        assertEquals("", off.get("error").asText());
        assertEquals(List.of(true, false), enabledCalls);

        failEnable = true;
        HttpResponse<String> failed = send(request("/enabled?enabled=1", "").PUT(HttpRequest.BodyPublishers.noBody()));
        assertEquals(200, failed.statusCode());
        assertEquals("cannot register the top menu", JSON.readTree(failed.body()).get("error").asText());

        HttpResponse<String> bad = send(request("/enabled?enabled=yes", "").PUT(HttpRequest.BodyPublishers.noBody()));
        assertEquals(200, bad.statusCode());
        assertFalse(JSON.readTree(bad.body()).get("error").asText().isEmpty());
    }

    @Test
    void setupChecksAnswerWithALength() throws Exception {
        HttpResponse<String> r = send(request("/setup_checks", ""));
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValueAsLong("content-length").isPresent());
        JsonNode body = JSON.readTree(r.body());
        assertEquals("warning", body.get("model").get("status").asText());
        assertEquals("error", body.get("broken").get("status").asText());
        assertTrue(body.get("broken").get("text").asText().contains("boom"));
    }

    @Test
    void oversizedSetupChecksBecomeOneError() throws Exception {
        hugeCheck = true;
        HttpResponse<String> r = send(request("/setup_checks", ""));
        assertTrue(r.body().length() < 1024, "length " + r.body().length());
        assertEquals("error", JSON.readTree(r.body()).get("setup_checks").get("status").asText());
    }

    @Test
    void triggerRunsTheListeners() throws Exception {
        assertEquals(200, send(request("/trigger?providerId=p", "").POST(HttpRequest.BodyPublishers.noBody())).statusCode());
        assertEquals(1, triggers.get());
    }

    @Test
    void webSocketHandshakeIsAuthenticated() throws Exception {
        CompletableFuture<String> reply = new CompletableFuture<>();
        WebSocket ws = http.newWebSocketBuilder()
                .header("EX-APP-ID", "test_app").header("EX-APP-VERSION", "1.0.0")
                .header("AUTHORIZATION-APP-API", Base64.getEncoder().encodeToString(("carol:" + SECRET).getBytes()))
                .buildAsync(URI.create("ws://127.0.0.1:" + app.port() + "/ws"), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        reply.complete(data.toString());
                        return null;
                    }
                }).get(5, TimeUnit.SECONDS);
        ws.sendText("hi", true);
        assertEquals("carol says hi", reply.get(5, TimeUnit.SECONDS));
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye");

        CompletableFuture<WebSocket> refused = http.newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .buildAsync(URI.create("ws://127.0.0.1:" + app.port() + "/ws"), new WebSocket.Listener() { });
        CompletionException e = assertThrows(CompletionException.class, refused::join);
        assertTrue(e.getCause() instanceof java.net.http.WebSocketHandshakeException, String.valueOf(e.getCause()));
        int status = ((java.net.http.WebSocketHandshakeException) e.getCause()).getResponse().statusCode();
        assertEquals(401, status);
    }
}
