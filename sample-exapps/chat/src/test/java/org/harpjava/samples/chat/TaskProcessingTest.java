package org.harpjava.samples.chat;

import com.fasterxml.jackson.databind.JsonNode;
import org.harpjava.exapp.testkit.FakeTask;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The app as a TaskProcessing provider, against the SDK's fake Nextcloud, as AppAPI drives it. */
class TaskProcessingTest {
    private Harness h;
    private final LogCapture logs = new LogCapture();

    @BeforeEach
    void start(@TempDir Path storage) throws Exception {
        logs.start();
        h = new Harness(storage);
        h.extraEnv.put("CHAT_API_KEY", "sk-must-not-be-logged");
        h.start();
        assertEquals("", h.appApi().enable().json().path("error").asText());
    }

    @AfterEach
    void stop() {
        h.close();
        logs.stop();
    }

    @Test
    void enablingRegistersTheProvidersAndThePage() {
        Map<String, JsonNode> providers = h.nextcloud.registered("task_processing");
        assertEquals("core:text2text:chat", providers.get("java_chat:chat").path("provider").path("task_type").asText());
        assertEquals("core:text2text", providers.get("java_chat:text2text").path("provider").path("task_type").asText());
        JsonNode menu = h.nextcloud.registered("top-menu").get("chat");
        assertEquals("img/chat.svg", menu.path("icon").asText());
        assertTrue(h.nextcloud.registered("script").values().stream()
                .anyMatch(s -> s.path("path").asText().equals("js/chat")), h.nextcloud.registered("script").toString());

        assertEquals("", h.appApi().disable().json().path("error").asText());
        assertTrue(h.nextcloud.registered("task_processing").isEmpty());
        assertTrue(h.nextcloud.registered("top-menu").isEmpty());
    }

    @Test
    void aChatTaskIsAnsweredWithItsHistory() throws Exception {
        h.engine.reply("Arr", ", ", "the beach!");
        h.nextcloud.queueTask(FakeTask.of(41, ChatTasks.CHAT, "alice", Map.of(
                "system_prompt", "Be a pirate",
                "input", "Where is the treasure?",
                "history", List.of("{\"role\":\"user\",\"content\":\"Hi\"}",
                        "{\"role\":\"assistant\",\"content\":\"Ahoy\"}"))));
        assertEquals(200, h.appApi().trigger("java_chat:chat").status());

        JsonNode result = awaitResult(41);
        assertEquals("Arr, the beach!", result.path("output").path("output").asText());
        assertTrue(result.path("errorMessage").isNull());
        JsonNode sent = h.engine.requests().get(0).path("messages");
        assertEquals("[{\"role\":\"system\",\"content\":\"Be a pirate\"},{\"role\":\"user\",\"content\":\"Hi\"},"
                + "{\"role\":\"assistant\",\"content\":\"Ahoy\"},{\"role\":\"user\",\"content\":\"Where is the treasure?\"}]",
                sent.toString());
        assertEquals("Bearer sk-must-not-be-logged", h.engine.authorizations().get(0));
    }

    @Test
    void aFreePromptTaskUsesTheConfiguredSystemPrompt() throws Exception {
        h.nextcloud.queueTask(FakeTask.of(42, ChatTasks.FREE_PROMPT, "bob", Map.of("input", "Say hello")));
        h.nextcloud.queueTask(FakeTask.of(43, ChatTasks.FREE_PROMPT, "bob", Map.of("input", "And again")));
        h.appApi().trigger("java_chat:text2text");
        assertEquals("Hello, world!", awaitResult(42).path("output").path("output").asText());
        assertEquals("Hello, world!", awaitResult(43).path("output").path("output").asText(), "queued tasks run in a row");
        assertEquals(ChatConfig.DEFAULT_SYSTEM_PROMPT,
                h.engine.requests().get(0).path("messages").path(0).path("content").asText());
    }

    @Test
    void engineFailuresAndBadInputFailTheTaskWithAMessageForTheUser() throws Exception {
        h.engine.failWith(401);
        h.nextcloud.queueTask(FakeTask.of(44, ChatTasks.FREE_PROMPT, "alice", Map.of("input", "hi")));
        h.appApi().trigger("java_chat:text2text");
        JsonNode failed = awaitResult(44);
        assertEquals("The chat engine answered 401 (check CHAT_API_KEY): model is not loaded",
                failed.path("errorMessage").asText());
        assertEquals(ChatTasks.USER_FACING_ERROR, failed.path("userFacingErrorMessage").asText());

        h.nextcloud.queueTask(FakeTask.of(45, ChatTasks.CHAT, "alice", Map.of("input", "hi",
                "history", List.of("{\"role\":\"wizard\",\"content\":\"?\"}"))));
        h.appApi().trigger("java_chat:chat");
        assertEquals("The chat history holds a message of unknown role \"wizard\"",
                awaitResult(45).path("userFacingErrorMessage").asText());

        List<String> lines = logs.lines();
        assertFalse(lines.isEmpty());
        for (String line : lines) {
            assertFalse(line.contains("sk-must-not-be-logged"), line);
            assertFalse(line.contains(Harness.SECRET), line);
        }
    }

    private JsonNode awaitResult(long taskId) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            var result = h.nextcloud.taskResult(taskId);
            if (result.isPresent()) {
                return result.get();
            }
            Thread.sleep(20);
        }
        throw new AssertionError("task " + taskId + " got no result");
    }
}
