package org.harpjava.samples.chat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.harpjava.samples.chat.Harness.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The chat app behind harp-server in dev mode, with a fake Nextcloud and a fake engine, all on loopback. */
class ChatAppTest {
    private Harness h;

    @BeforeEach
    void start(@TempDir Path storage) throws Exception {
        h = new Harness(storage).start();
    }

    @AfterEach
    void stop() {
        h.close();
    }

    @Test
    void routesAreForUsersAndOnlyThroughTheProxy() throws Exception {
        assertEquals(401, h.get(null, "/api/conversations").statusCode(), "dev mode asks for a login");
        HttpResponse<String> alice = h.get("alice", "/api/conversations");
        assertEquals(200, alice.statusCode());
        assertEquals("[]", alice.body());
        assertTrue(h.get("alice", "/").body().contains("js/chat.js"));
        assertTrue(h.get("alice", "/js/chat.js").body().contains("new WebSocket"));
        HttpResponse<String> icon = h.get(null, "/img/chat.svg");
        assertEquals(200, icon.statusCode());
        assertEquals("image/svg+xml; charset=utf-8", icon.headers().firstValue("Content-Type").orElse(""));

        assertEquals(401, h.appApi().unsigned().get("/api/conversations").status());
        assertEquals(401, h.appApi().withSecret("wrong").asUser("alice").get("/api/conversations").status());
        assertEquals(403, h.appApi().get("/api/conversations").status(), "AppAPI's own calls carry no user");
    }

    @Test
    void serverSentEventsStreamTheReplyThroughHarp() throws Exception {
        long id = h.newConversation("alice", "Greetings");
        h.engine.reply("Hello", ", ", "Alice", "!").holdAfter(1);
        HttpResponse<Stream<String>> response = h.http.send(h.viaHarp("alice", "/api/conversations/" + id + "/messages")
                .POST(HttpRequest.BodyPublishers.ofString("{\"content\":\"Hi there\"}")).build(),
                HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
        Iterator<String> lines = response.body().iterator();
        // The first token arrives while the engine still holds back the others: it is streamed, not buffered.
        assertEquals("event: token", lines.next());
        assertEquals("data: {\"text\":\"Hello\"}", lines.next());
        h.engine.release();
        StringBuilder rest = new StringBuilder();
        lines.forEachRemaining(l -> rest.append(l).append('\n'));
        assertTrue(rest.toString().endsWith("event: done\ndata: {\"conversation\":" + id + ",\"cancelled\":false}\n\n"),
                rest.toString());

        JsonNode conversation = json(h.get("alice", "/api/conversations/" + id));
        assertEquals("Hi there", conversation.path("messages").path(0).path("content").asText());
        assertEquals("assistant", conversation.path("messages").path(1).path("role").asText());
        assertEquals("Hello, Alice!", conversation.path("messages").path(1).path("content").asText());

        // The next turn sends the history along: system prompt, the first turn, the new message.
        h.engine.reply("Bye");
        h.post("alice", "/api/conversations/" + id + "/messages", "{\"content\":\"Bye\"}");
        JsonNode sent = h.engine.requests().get(1).path("messages");
        assertEquals(4, sent.size());
        assertEquals(List.of("system", "user", "assistant", "user"),
                List.of(sent.get(0).path("role").asText(), sent.get(1).path("role").asText(),
                        sent.get(2).path("role").asText(), sent.get(3).path("role").asText()));
        assertEquals(ChatConfig.DEFAULT_SYSTEM_PROMPT, sent.get(0).path("content").asText());
    }

    @Test
    void badRequestsAndEngineFailuresAreClearErrors() throws Exception {
        long id = h.newConversation("alice", "Mine");
        HttpResponse<String> unknown = h.post("alice", "/api/conversations/424242/messages", "{\"content\":\"hi\"}");
        assertEquals(404, unknown.statusCode());
        assertEquals("There is no conversation 424242", json(unknown).path("error").asText());
        assertEquals(404, h.post("bob", "/api/conversations/" + id + "/messages", "{\"content\":\"hi\"}").statusCode());
        assertEquals(404, h.get("bob", "/api/conversations/" + id).statusCode());
        assertEquals(400, h.post("alice", "/api/conversations/" + id + "/messages", "{\"content\":\"  \"}").statusCode());
        assertEquals(400, h.post("alice", "/api/conversations/" + id + "/messages", "not json").statusCode());

        h.engine.failWith(500);
        HttpResponse<String> failed = h.post("alice", "/api/conversations/" + id + "/messages", "{\"content\":\"hi\"}");
        assertEquals(502, failed.statusCode());
        assertEquals("The chat engine answered 500: model is not loaded", json(failed).path("error").asText());

        h.engine.close();
        HttpResponse<String> down = h.post("alice", "/api/conversations/" + id + "/messages", "{\"content\":\"hi\"}");
        assertEquals(502, down.statusCode());
        assertEquals("The chat engine at " + h.engine.url() + " cannot be reached; is it running?",
                json(down).path("error").asText());
        // Failed turns leave the conversation as it was.
        assertEquals(0, json(h.get("alice", "/api/conversations/" + id)).path("messages").size());
    }

    @Test
    void closingTheEventStreamCancelsTheReply() throws Exception {
        long id = h.newConversation("alice", "Long");
        h.engine.longReply(500).pace(Duration.ofMillis(10));
        HttpResponse<Stream<String>> response = h.http.send(h.viaHarp("alice", "/api/conversations/" + id + "/messages")
                .POST(HttpRequest.BodyPublishers.ofString("{\"content\":\"Count\"}")).build(),
                HttpResponse.BodyHandlers.ofLines());
        try (Stream<String> body = response.body()) {
            assertEquals(3, body.filter(l -> l.startsWith("data: ")).limit(3).count());
        }
        assertTrue(h.engine.hungUp.await(10, TimeUnit.SECONDS), "the app should stop the engine");
        String stored = awaitAssistantMessage(id);
        assertTrue(stored.startsWith("t0 t1 t2 "), stored);
        assertTrue(stored.length() < h.engine.tokensSent() * 6 + 1 && !stored.contains("t499"), stored);
    }

    @Test
    void theWebSocketStreamsTheReplyAndStartsConversations() throws Exception {
        h.engine.reply("Hi", " Alice");
        Harness.Socket socket = h.socket("alice");
        socket.send("{\"type\":\"send\",\"content\":\"Hello\\nmore lines\"}");
        JsonNode started = socket.next();
        assertEquals("started", started.path("type").asText());
        assertEquals("Hello", started.path("title").asText());
        long id = started.path("conversation").asLong();
        assertEquals("Hi", socket.next().path("text").asText());
        assertEquals(" Alice", socket.next().path("text").asText());
        JsonNode done = socket.next();
        assertEquals("done", done.path("type").asText());
        assertFalse(done.path("cancelled").asBoolean());
        assertEquals(id, done.path("conversation").asLong());

        // The same conversation, seen over HTTP through the proxy, and continued over the WebSocket.
        assertEquals("Hello", json(h.get("alice", "/api/conversations")).path(0).path("title").asText());
        socket.send("{\"type\":\"send\",\"conversation\":" + id + ",\"content\":\"Again\"}");
        assertEquals(id, socket.next().path("conversation").asLong());
        assertEquals("done", socket.nextNotToken().path("type").asText());
        assertEquals(4, json(h.get("alice", "/api/conversations/" + id)).path("messages").size());
    }

    @Test
    void cancelOverTheWebSocketStopsTheEngineAndKeepsThePartialReply() throws Exception {
        h.engine.longReply(500).pace(Duration.ofMillis(10));
        Harness.Socket socket = h.socket("alice");
        socket.send("{\"type\":\"send\",\"content\":\"Count\"}");
        long id = socket.next().path("conversation").asLong();
        for (int i = 0; i < 3; i++) {
            assertEquals("t" + i + " ", socket.next().path("text").asText());
        }
        socket.send("{\"type\":\"send\",\"content\":\"meanwhile\"}");
        socket.send("{\"type\":\"cancel\"}");
        JsonNode busy = socket.nextNotToken();
        assertEquals("A reply is still being written; cancel it first", busy.path("message").asText());
        JsonNode done = socket.nextNotToken();
        assertEquals("done", done.path("type").asText());
        assertTrue(done.path("cancelled").asBoolean());
        assertTrue(h.engine.hungUp.await(10, TimeUnit.SECONDS), "the app should stop the engine");
        assertTrue(h.engine.tokensSent() < 500);
        String stored = awaitAssistantMessage(id);
        assertTrue(stored.startsWith("t0 t1 t2 ") && !stored.contains("t499"), stored);

        // The connection is usable again at once.
        h.engine.reply("ok").pace(Duration.ZERO);
        socket.send("{\"type\":\"send\",\"conversation\":" + id + ",\"content\":\"Still there?\"}");
        assertEquals("started", socket.next().path("type").asText());
        assertEquals("ok", socket.next().path("text").asText());
        assertEquals("done", socket.next().path("type").asText());
    }

    @Test
    void theWebSocketRefusesBadHandshakesAndExplainsBadMessages() throws Exception {
        CompletableFuture<?> unsigned = h.http.newWebSocketBuilder()
                .buildAsync(java.net.URI.create("ws://127.0.0.1:" + h.app.exApp().port() + "/ws"), new Harness.Socket());
        ExecutionException refused = assertThrows(ExecutionException.class, () -> unsigned.get(10, TimeUnit.SECONDS));
        assertInstanceOf(WebSocketHandshakeException.class, refused.getCause());
        assertEquals(401, ((WebSocketHandshakeException) refused.getCause()).getResponse().statusCode());

        Harness.Socket socket = h.socket("alice");
        socket.send("hello?");
        assertTrue(socket.next().path("message").asText().startsWith("Messages must be JSON objects"));
        socket.send("{\"type\":\"dance\"}");
        assertEquals("Unknown message type \"dance\"; use \"send\" or \"cancel\"", socket.next().path("message").asText());
        socket.send("{\"type\":\"send\",\"conversation\":424242,\"content\":\"hi\"}");
        assertEquals("There is no conversation 424242", socket.next().path("message").asText());
        socket.send("{\"type\":\"send\",\"content\":\"" + "x".repeat(ChatService.MAX_MESSAGE_CHARS + 1) + "\"}");
        assertEquals("The message is longer than 32000 characters", socket.next().path("message").asText());
        long bobs = h.newConversation("bob", "Bob's");
        socket.send("{\"type\":\"send\",\"conversation\":" + bobs + ",\"content\":\"hi\"}");
        assertEquals("There is no conversation " + bobs, socket.next().path("message").asText());

        h.engine.close();
        socket.send("{\"type\":\"send\",\"content\":\"hi\"}");
        JsonNode error = socket.nextNotToken();
        assertEquals("started", error.path("type").asText());
        assertEquals("The chat engine at " + h.engine.url() + " cannot be reached; is it running?",
                socket.next().path("message").asText());

        Harness.Socket nobody = h.socket("");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (nobody.closeCode < 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(1008, nobody.closeCode, "a handshake without a user is closed as a policy violation");
    }

    @Test
    void conversationsSurviveARestart() throws Exception {
        long id = h.newConversation("alice", "Keep me");
        h.post("alice", "/api/conversations/" + id + "/messages", "{\"content\":\"Remember this\"}");
        h.stop();
        h.start();
        JsonNode list = json(h.get("alice", "/api/conversations"));
        assertEquals(1, list.size());
        assertEquals("Keep me", list.path(0).path("title").asText());
        JsonNode messages = json(h.get("alice", "/api/conversations/" + id)).path("messages");
        assertEquals("Remember this", messages.path(0).path("content").asText());
        assertEquals("Hello, world!", messages.path(1).path("content").asText());
    }

    @Test
    void setupCheckTellsWhetherTheEngineServesTheModel() throws Exception {
        JsonNode ok = h.appApi().get("/setup_checks").json().path("chat_engine");
        assertEquals("success", ok.path("status").asText());
        assertEquals("The chat engine at " + h.engine.url() + " serves tiny", ok.path("text").asText());
        h.engine.close();
        assertEquals("error", h.appApi().get("/setup_checks").json().path("chat_engine").path("status").asText());
    }

    private String awaitAssistantMessage(long id) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            JsonNode messages = json(h.get("alice", "/api/conversations/" + id)).path("messages");
            if (messages.size() >= 2) {
                return messages.path(1).path("content").asText();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no reply was stored");
    }
}
