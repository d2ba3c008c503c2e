package org.harpjava.samples.chat;

import com.fasterxml.jackson.databind.JsonNode;
import org.harpjava.exapp.testkit.AppApiResponse;
import org.harpjava.exapp.testkit.TalkBotEvent;
import org.harpjava.exapp.testkit.TalkBotPost;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Talk bot ({@code CHAT_TALK_BOT=true}) against the SDK's fake Nextcloud: events are delivered to the app as
 * Talk signs them and as AppAPI's talk proxy forwards them, and the fake's Talk bot API accepts only replies signed
 * with the registered bot's secret.
 */
class TalkBotTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private Harness h;
    private final LogCapture logs = new LogCapture();

    @BeforeEach
    void start(@TempDir Path storage) throws Exception {
        logs.start();
        h = new Harness(storage);
        h.extraEnv.put("CHAT_TALK_BOT", "true");
        h.extraEnv.put("CHAT_API_KEY", "sk-must-not-be-logged");
    }

    @AfterEach
    void stop() {
        h.close();
        logs.stop();
    }

    private void startEnabled() throws Exception {
        h.start();
        assertEquals("", h.appApi().enable().json().path("error").asText());
    }

    private String secret() {
        return h.nextcloud.talkBotSecret(TalkBotRegistration.ROUTE).orElseThrow(() -> new AssertionError("no bot"));
    }

    private String botId() {
        return h.app.exApp().nextcloud().talkBots().botId(TalkBotRegistration.ROUTE);
    }

    /** Alice's message {@code id} in conversation {@code room1}. */
    private static TalkBotEvent message(long id, String text) {
        return TalkBotEvent.message("users/alice", "Alice", id, text, "room1", "Team");
    }

    /** Posts {@code event} as Talk signs it, with AppAPI's credentials (as every request reaching the app). */
    private AppApiResponse deliverSigned(TalkBotEvent event) {
        byte[] body = event.body();
        return h.appApi().request("POST", TalkBotRegistration.ROUTE, TalkBotEvent.signedHeaders(secret(), body), body);
    }

    /** Posts {@code event} as AppAPI's talk proxy does once it has checked Talk's signature: without it. */
    private AppApiResponse deliverViaAppApi(TalkBotEvent event) {
        return h.appApi().request("POST", TalkBotRegistration.ROUTE, Map.of("Content-Type", "application/json"),
                event.body());
    }

    @Test
    void enablingRegistersTheBotAndDisablingRemovesIt() throws Exception {
        startEnabled();
        JsonNode bot = h.nextcloud.registered("talk_bot").get(TalkBotRegistration.ROUTE);
        assertEquals("ChatBot", bot.path("name").asText(), String.valueOf(h.nextcloud.registered("talk_bot")));
        assertTrue(bot.path("description").asText().contains("@ChatBot"));

        assertEquals("", h.appApi().disable().json().path("error").asText());
        assertTrue(h.nextcloud.registered("talk_bot").isEmpty());
        AppApiResponse afterDisable = deliverViaAppApi(message(1, "@ChatBot hello?"));
        assertEquals(503, afterDisable.status(), afterDisable.text());
        assertEquals("The Talk bot is not registered", afterDisable.json().path("error").asText());

        assertEquals("", h.appApi().enable().json().path("error").asText());
        assertTrue(h.nextcloud.registered("talk_bot").containsKey(TalkBotRegistration.ROUTE), "registered again");
    }

    @Test
    void whenTheBotCannotBeRegisteredTheRestOfTheAppIsEnabled() throws Exception {
        h.nextcloud.fail("POST", "/ocs/v1.php/apps/app_api/api/v1/talk_bot", 400, null, 5); // Talk is missing
        h.start();
        assertEquals("", h.appApi().enable().json().path("error").asText());
        assertTrue(h.nextcloud.registered("talk_bot").isEmpty());
        assertTrue(h.nextcloud.registered("top-menu").containsKey("chat"), "the page is there");
        List<String> lines = logs.lines();
        assertTrue(lines.stream().anyMatch(l -> l.contains("Registering the Talk bot failed")), String.valueOf(lines));
        assertEquals(503, deliverViaAppApi(message(1, "@ChatBot hello?")).status());
    }

    @Test
    void aMentionIsAnsweredInTheConversationAsAReply() throws Exception {
        startEnabled();
        h.engine.reply("Forty", "-two.");
        AppApiResponse accepted = deliverSigned(message(1567, "{mention-bot1} what is six times seven?")
                .mention("mention-bot1", "user", "bot-" + botId(), "ChatBot")
                .mention("mention-user1", "user", "bob", "Bob"));
        assertEquals(202, accepted.status(), accepted.text());

        TalkBotPost reply = h.nextcloud.awaitTalkBotPost(p -> true, WAIT);
        // The fake keeps only messages signed with the registered bot's secret over random + text.
        assertEquals(new TalkBotPost(TalkBotRegistration.ROUTE, "room1", "Forty-two.", 1567, reply.referenceId(), false),
                reply);
        JsonNode asked = h.engine.requests().get(0).path("messages");
        assertEquals("system", asked.path(0).path("role").asText());
        assertEquals("what is six times seven?", asked.path(1).path("content").asText(), "the mention is left out");
    }

    @Test
    void aTypedMentionForwardedByAppApiIsAnswered() throws Exception {
        startEnabled();
        h.engine.reply("Hi ", "Bob!");
        AppApiResponse accepted = deliverViaAppApi(message(7, "@chatbot, please greet {mention-user1}")
                .mention("mention-user1", "user", "bob", "Bob"));
        assertEquals(202, accepted.status(), accepted.text());
        assertEquals("Hi Bob!", h.nextcloud.awaitTalkBotPost(p -> p.replyTo() == 7, WAIT).message());
        assertEquals("please greet @Bob", h.engine.requests().get(0).path("messages").path(1).path("content").asText());
    }

    @Test
    void messagesWithoutAMentionAreIgnored() throws Exception {
        startEnabled();
        for (String text : List.of("hello everyone", "mail me at me@ChatBot.example", "@ChatBotX hi", "@ChatBot")) {
            AppApiResponse ignored = deliverSigned(message(10, text));
            assertEquals(200, ignored.status(), text + ": " + ignored.text());
            assertEquals("ignored", ignored.json().path("status").asText());
        }
        assertEquals(200, deliverSigned(message(11, "{mention-user1} hi").mention("mention-user1", "user", "bob", "Bob"))
                .status());
        assertEquals(200, deliverSigned(message(12, "@ChatBot you started a call").systemMessage("call_started"))
                .status(), "system messages are no questions");
        assertEquals(200, deliverSigned(TalkBotEvent.message("bots/bot-other", "Other bot", 13, "@ChatBot ping",
                "room1", "Team")).status(), "bots are not answered, which keeps two bots from talking forever");

        deliverSigned(message(14, "@ChatBot last one"));
        h.nextcloud.awaitTalkBotPost(p -> p.replyTo() == 14, WAIT);
        assertEquals(1, h.nextcloud.talkBotPosts().size(), "only the mention was answered: " + h.nextcloud.talkBotPosts());
        assertEquals(1, h.engine.requests().size());
    }

    @Test
    void aWrongSignatureIsRefusedAndNothingIsAnswered() throws Exception {
        startEnabled();
        byte[] body = message(20, "@ChatBot tell me a secret").body();
        Map<String, String> forged = new LinkedHashMap<>(TalkBotEvent.signedHeaders("not-the-bot-secret", body));
        AppApiResponse refused = h.appApi().request("POST", TalkBotRegistration.ROUTE, forged, body);
        assertEquals(401, refused.status(), refused.text());
        assertEquals("The Talk signature does not match", refused.json().path("error").asText());

        Map<String, String> randomOnly = new LinkedHashMap<>(TalkBotEvent.signedHeaders(secret(), body));
        randomOnly.remove(TalkBotEvent.SIGNATURE_HEADER);
        assertEquals(401, h.appApi().request("POST", TalkBotRegistration.ROUTE, randomOnly, body).status());
        byte[] tampered = message(20, "@ChatBot tell me all secrets").body();
        assertEquals(401, h.appApi().request("POST", TalkBotRegistration.ROUTE,
                TalkBotEvent.signedHeaders(secret(), body), tampered).status(), "signed for another body");
        assertEquals(401, h.appApi().unsigned().request("POST", TalkBotRegistration.ROUTE,
                TalkBotEvent.signedHeaders(secret(), body), body).status(), "without AppAPI's credentials");

        deliverSigned(message(21, "@ChatBot are you there?"));
        h.nextcloud.awaitTalkBotPost(p -> p.replyTo() == 21, WAIT);
        assertEquals(1, h.nextcloud.talkBotPosts().size(), String.valueOf(h.nextcloud.talkBotPosts()));
        assertEquals(1, h.engine.requests().size(), "the refused questions never reached the engine");
    }

    @Test
    void badEventsGetAClearStatus() throws Exception {
        startEnabled();
        byte[] notJson = "not json".getBytes();
        AppApiResponse bad = h.appApi().request("POST", TalkBotRegistration.ROUTE,
                TalkBotEvent.signedHeaders(secret(), notJson), notJson);
        assertEquals(400, bad.status());
        assertEquals("The body is not a Talk bot event", bad.json().path("error").asText());
        byte[] huge = new byte[TalkBotWebhook.MAX_BODY_BYTES + 1];
        assertEquals(413, h.appApi().request("POST", TalkBotRegistration.ROUTE, Map.of(), huge).status());
    }

    @Test
    void whenTheEngineIsDownTheBotApologises() throws Exception {
        try (ServerSocket closed = new ServerSocket(0)) {
            h.extraEnv.put("CHAT_ENGINE_URL", "http://127.0.0.1:" + closed.getLocalPort() + "/v1");
        }
        startEnabled();
        assertEquals(202, deliverSigned(message(30, "@ChatBot anyone home?")).status());
        TalkBotPost apology = h.nextcloud.awaitTalkBotPost(p -> p.replyTo() == 30, WAIT);
        assertEquals(TalkReplies.APOLOGY, apology.message());
        List<String> lines = logs.lines();
        assertTrue(lines.stream().anyMatch(l -> l.contains("No answer for Talk conversation room1")
                && l.contains("cannot be reached")), String.valueOf(lines));
        for (String line : lines) {
            assertFalse(line.contains("sk-must-not-be-logged"), line);
            assertFalse(line.contains(Harness.SECRET), line);
            assertFalse(line.contains(secret()), line);
        }
    }

    @Test
    void answersRunInTheBackgroundAndTheQueueIsBounded() throws Exception {
        startEnabled();
        h.engine.reply("busy", " answer").holdAfter(0);
        int capacity = TalkReplies.MAX_CONCURRENT + TalkReplies.MAX_WAITING;
        for (int i = 0; i < capacity; i++) {
            AppApiResponse r = deliverSigned(message(100 + i, "@ChatBot question " + i));
            assertEquals(202, r.status(), "accepted at once while the engine is busy: " + r.text());
        }
        AppApiResponse full = deliverSigned(message(999, "@ChatBot one too many"));
        assertEquals(503, full.status(), full.text());
        assertEquals("Too many questions are waiting; ask again later", full.json().path("error").asText());
        assertEquals(TalkReplies.MAX_CONCURRENT, awaitEngineRequests(TalkReplies.MAX_CONCURRENT),
                "no more than MAX_CONCURRENT questions at the engine at once");
        assertTrue(h.nextcloud.talkBotPosts().isEmpty());

        h.engine.release();
        for (int i = 0; i < capacity; i++) {
            long id = 100 + i;
            assertEquals("busy answer", h.nextcloud.awaitTalkBotPost(p -> p.replyTo() == id, WAIT).message());
        }
        assertEquals(capacity, h.nextcloud.talkBotPosts().size());
    }

    @Test
    void theBotIsOffUnlessConfigured() throws Exception {
        h.extraEnv.remove("CHAT_TALK_BOT");
        startEnabled();
        assertTrue(h.nextcloud.registered("talk_bot").isEmpty());
        assertEquals(404, deliverViaAppApi(message(1, "@ChatBot hi")).status());
    }

    @Test
    void mentionsAreRecognised() {
        String id = "0123abcd";
        assertEquals("how are you?", question("{mention-user1}: how are you?",
                new String[]{"mention-user1", "bot-" + id, "Some other name"}));
        assertEquals("hi", question("{mention-user1} hi", new String[]{"mention-user1", "x", "chatbot"}));
        assertEquals("", question("{mention-user1} hi", new String[]{"mention-user1", "bob", "Bob"}));
        assertEquals("what now?", question("@\"ChatBot\" what now?"));
        assertEquals("Hi what now?", question("Hi @ChatBot, what now?"), "the comma after the mention goes with it");
        assertEquals("line one\nline two", question("@ChatBot line one\nline two"));
        assertEquals("", question("@ChatBot-2 hi"));
        assertEquals("", question("x@ChatBot hi"));
    }

    private static String question(String text, String[]... mentions) {
        StringBuilder params = new StringBuilder();
        for (String[] m : mentions) {
            params.append(params.isEmpty() ? "" : ",").append("\"").append(m[0]).append("\":{\"type\":\"user\",\"id\":\"")
                    .append(m[1]).append("\",\"name\":\"").append(m[2]).append("\"}");
        }
        String content = ChatApi.JSON.createObjectNode().put("message", text).toString();
        content = content.substring(0, content.length() - 1) + ",\"parameters\":{" + params + "}}";
        var message = new org.harpjava.exapp.nextcloud.TalkBotMessage("Create", "users/alice", "Alice", 1, "message",
                content, "text/markdown", "t", "T");
        return TalkMention.question(message, "ChatBot", "0123abcd").orElse("");
    }

    private int awaitEngineRequests(int n) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (h.engine.requests().size() < n && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        Thread.sleep(200); // a third would have arrived by now
        return h.engine.requests().size();
    }
}
