package org.harpjava.samples.chat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChatEngineTest {
    private FakeEngine fake;

    @BeforeEach
    void start() throws IOException {
        fake = FakeEngine.start();
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    private ChatEngine engine(Map<String, String> extra) {
        java.util.HashMap<String, String> env = new java.util.HashMap<>(Map.of(
                "CHAT_ENGINE_URL", fake.url(), "CHAT_MODEL", "tiny", "CHAT_TIMEOUT_SECONDS", "2"));
        env.putAll(extra);
        return new ChatEngine(ChatConfig.from(env));
    }

    @Test
    void streamsTokensAsTheyArrive() throws Exception {
        fake.reply("The", " answer", " is", " 42").holdAfter(2);
        List<String> seen = new CopyOnWriteArrayList<>();
        CompletableFuture<ChatEngine.Completion> done = CompletableFuture.supplyAsync(() -> {
            try {
                return engine(Map.of()).stream(List.of(Message.user("question")), seen::add, new Generation());
            } catch (EngineException e) {
                throw new RuntimeException(e);
            }
        });
        // The first two tokens reach us while the engine still holds back the rest.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (seen.size() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(List.of("The", " answer"), seen);
        assertFalse(done.isDone());
        fake.release();
        ChatEngine.Completion completion = done.get(5, TimeUnit.SECONDS);
        assertEquals("The answer is 42", completion.text());
        assertFalse(completion.cancelled());
        assertEquals(List.of("The", " answer", " is", " 42"), seen);
    }

    @Test
    void sendsModelMessagesAndKey() throws Exception {
        engine(Map.of("CHAT_API_KEY", "sk-test-123"))
                .complete(List.of(Message.system("be brief"), Message.user("hi")));
        var request = fake.requests().get(0);
        assertEquals("tiny", request.path("model").asText());
        assertTrue(request.path("stream").asBoolean());
        assertEquals("system", request.path("messages").path(0).path("role").asText());
        assertEquals("hi", request.path("messages").path(1).path("content").asText());
        assertEquals("Bearer sk-test-123", fake.authorizations().get(0));
    }

    @Test
    void cancellationStopsTheStreamAndHangsUpOnTheEngine() throws Exception {
        fake.longReply(500).pace(Duration.ofMillis(10));
        Generation generation = new Generation();
        List<String> seen = new CopyOnWriteArrayList<>();
        ChatEngine.Completion completion = engine(Map.of()).stream(List.of(Message.user("go")), token -> {
            seen.add(token);
            if (seen.size() == 3) {
                generation.cancel();
            }
        }, generation);
        assertTrue(completion.cancelled());
        assertEquals("t0 t1 t2 ", completion.text());
        assertEquals(3, seen.size());
        assertTrue(fake.hungUp.await(5, TimeUnit.SECONDS), "the engine should see the connection close");
        assertTrue(fake.tokensSent() < 500, "the engine stopped early, after " + fake.tokensSent());
    }

    @Test
    void engineDownIsAClearError() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        ChatEngine down = new ChatEngine(ChatConfig.from(Map.of("CHAT_ENGINE_URL", "http://127.0.0.1:" + closedPort + "/v1")));
        EngineException e = assertThrows(EngineException.class, () -> down.complete(List.of(Message.user("hi"))));
        assertEquals("The chat engine at http://127.0.0.1:" + closedPort + "/v1 cannot be reached; is it running?",
                e.getMessage());
    }

    @Test
    void refusalSaysWhatToCheckWithoutTheKey() {
        fake.failWith(401);
        EngineException e = assertThrows(EngineException.class,
                () -> engine(Map.of("CHAT_API_KEY", "sk-secret-456")).complete(List.of(Message.user("hi"))));
        assertEquals("The chat engine answered 401 (check CHAT_API_KEY): model is not loaded", e.getMessage());
        assertFalse(e.getMessage().contains("sk-secret-456"));
    }

    @Test
    void anEngineThatStopsSendingTimesOut() {
        fake.silent();
        long start = System.nanoTime();
        EngineException e = assertThrows(EngineException.class,
                () -> engine(Map.of("CHAT_TIMEOUT_SECONDS", "1")).complete(List.of(Message.user("hi"))));
        assertEquals("The chat engine stopped answering for 1 s", e.getMessage());
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5));
    }

    @Test
    void listsModels() throws Exception {
        assertEquals(List.of("tiny"), engine(Map.of()).models());
    }

    @Test
    void configNeverShowsTheKey() {
        ChatConfig config = ChatConfig.from(Map.of("CHAT_API_KEY", "sk-hidden"));
        assertFalse(config.toString().contains("sk-hidden"), config.toString());
        assertThrows(IllegalArgumentException.class, () -> ChatConfig.from(Map.of("CHAT_TIMEOUT_SECONDS", "soon")));
        assertThrows(IllegalArgumentException.class, () -> ChatConfig.from(Map.of("CHAT_ENGINE_URL", "ollama:11434")));
    }

    @Test
    void theTalkBotIsOffByDefault() {
        assertFalse(ChatConfig.from(Map.of()).talkBot());
        assertTrue(ChatConfig.from(Map.of("CHAT_TALK_BOT", "true")).talkBot());
        assertTrue(ChatConfig.from(Map.of("CHAT_TALK_BOT", " Yes ")).talkBot());
        assertFalse(ChatConfig.from(Map.of("CHAT_TALK_BOT", "0")).talkBot());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ChatConfig.from(Map.of("CHAT_TALK_BOT", "maybe")));
        assertEquals("CHAT_TALK_BOT must be true or false (got \"maybe\")", e.getMessage());
    }
}
