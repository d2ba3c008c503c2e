package org.harpjava.exapp.nextcloud;

import org.harpjava.exapp.testkit.RecordedRequest;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;

import static org.harpjava.exapp.nextcloud.Fixture.assertCall;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TalkBotsTest extends AgainstFakeNextcloud {
    private static final String API = "/ocs/v1.php/apps/app_api/api/v1";
    private static final String BOT = "/ocs/v2.php/apps/spreed/api/v1/bot";
    /** HMAC-SHA256 hex, computed here without the code under test. */
    private static String hmac(String key, String data) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void signatureMatchesAKnownVectorAndJavaxCrypto() throws Exception {
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
        assertEquals("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
                TalkBotSignature.sign("Jefe", "what do ya ", "want for nothing?"));
        String secret = "bot-secret-0123456789";
        String random = "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90";
        String body = "{\"type\":\"Create\",\"object\":{\"content\":\"{\\\"message\\\":\\\"hi\\\"}\"}}";
        String expected = hmac(secret, random + body);
        assertEquals(expected, TalkBotSignature.sign(secret, random, body));
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        assertTrue(TalkBotSignature.verify(secret, random, expected, bytes));
        assertTrue(TalkBotSignature.verify(secret, random, expected.toUpperCase(), bytes), "hex case does not matter");
        assertFalse(TalkBotSignature.verify(secret, random, expected, (body + " ").getBytes(StandardCharsets.UTF_8)));
        assertFalse(TalkBotSignature.verify(secret, random + "0", expected, bytes));
        assertFalse(TalkBotSignature.verify("other", random, expected, bytes));
        assertFalse(TalkBotSignature.verify(secret, random, expected.substring(1), bytes));
        assertFalse(TalkBotSignature.verify(secret, null, expected, bytes));
        assertFalse(TalkBotSignature.verify(secret, random, null, bytes));
        assertFalse(TalkBotSignature.verify("", random, expected, bytes));
        assertEquals(64, TalkBotSignature.newRandom().length());
    }

    @Test
    void registerReturnsIdAndSecretAndUnregisterUsesTheRoute() throws Exception {
        TalkBot bot = nc.talkBots().register("Echo", "/talk/echo", "Repeats messages");
        assertCall(last(), "POST", API + "/talk_bot", "",
                "{\"name\":\"Echo\",\"route\":\"/talk/echo\",\"description\":\"Repeats messages\"}");
        String sha1 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                .digest((Fixture.APP_ID + "_talk/echo").getBytes(StandardCharsets.UTF_8)));
        assertEquals(sha1, bot.id());
        assertEquals(sha1, nc.talkBots().botId("/talk/echo"));
        assertEquals(fake.talkBotSecret("/talk/echo").orElseThrow(), bot.secret());
        assertFalse(bot.toString().contains(bot.secret()));
        assertTrue(nc.talkBots().unregister("/talk/echo"));
        assertCall(last(), "DELETE", API + "/talk_bot", "", "{\"route\":\"/talk/echo\"}");
        assertFalse(nc.talkBots().unregister("/talk/echo"));
    }

    @Test
    void messagesAndReactionsAreSignedAndSentWithoutAppApiCredentials() throws Exception {
        TalkBot bot = nc.talkBots().register("Helper", "/talk/helper", "");
        fake.clearRequests();
        String ref = nc.talkBots().sendMessage(bot.secret(), "room token", "Hello **there**", 42, true);
        RecordedRequest r = last();
        assertEquals("POST", r.method());
        assertEquals(BOT + "/room%20token/message", r.path());
        assertFalse(r.header("EX-APP-ID").isPresent());
        assertFalse(r.header("AUTHORIZATION-APP-API").isPresent());
        assertEquals(Optional.of("true"), r.header("OCS-APIRequest"));
        assertEquals(Optional.of("json"), r.queryParam("format"));
        String random = r.header("X-Nextcloud-Talk-Bot-Random").orElseThrow();
        assertTrue(random.length() >= 32);
        assertEquals(hmac(bot.secret(), random + "Hello **there**"),
                r.header("X-Nextcloud-Talk-Bot-Signature").orElseThrow());
        assertEquals(Fixture.tree("{\"message\":\"Hello **there**\",\"referenceId\":\"" + ref
                + "\",\"silent\":true,\"replyTo\":42}"), r.json());

        nc.talkBots().sendMessage(bot.secret(), "abc", "plain");
        assertFalse(last().json().has("replyTo"));

        nc.talkBots().react(bot.secret(), "abc", 17, "👍");
        r = last();
        assertEquals("POST", r.method());
        assertEquals(BOT + "/abc/reaction/17", r.path());
        assertEquals(hmac(bot.secret(), r.header("X-Nextcloud-Talk-Bot-Random").orElseThrow() + "👍"),
                r.header("X-Nextcloud-Talk-Bot-Signature").orElseThrow());
        assertEquals(Fixture.tree("{\"reaction\":\"👍\"}"), r.json());
        nc.talkBots().deleteReaction(bot.secret(), "abc", 17, "👍");
        assertEquals("DELETE", last().method());

        UnauthorizedException e = assertThrows(UnauthorizedException.class,
                () -> nc.talkBots().sendMessage("not-the-secret", "abc", "forged"));
        assertEquals(401, e.status());
    }

    @Test
    void inboundMessagesParse() {
        String body = "{\"type\":\"Create\",\"actor\":{\"type\":\"Person\",\"id\":\"users/alice\",\"name\":\"Alice\"},"
                + "\"object\":{\"type\":\"Note\",\"id\":\"1337\",\"name\":\"message\","
                + "\"content\":\"{\\\"message\\\":\\\"hi bot\\\",\\\"parameters\\\":[]}\",\"mediaType\":\"text/markdown\"},"
                + "\"target\":{\"type\":\"Collection\",\"id\":\"n3xtc10ud\",\"name\":\"Team\"}}";
        TalkBotMessage m = TalkBotMessage.parse(body.getBytes(StandardCharsets.UTF_8));
        assertEquals("Create", m.type());
        assertEquals("users/alice", m.actorId());
        assertEquals("Alice", m.actorName());
        assertEquals(1337, m.messageId());
        assertEquals("hi bot", m.text());
        assertEquals("text/markdown", m.mediaType());
        assertEquals("n3xtc10ud", m.conversationToken());
        assertEquals("Team", m.conversationName());
        assertThrows(IllegalArgumentException.class, () -> TalkBotMessage.parse("nope".getBytes()));
    }

    @Test
    void mentionsAndPlainText() {
        String content = "{\"message\":\"{mention-user1} and {mention-call1}, what is {file0}?\","
                + "\"parameters\":{\"mention-user1\":{\"type\":\"user\",\"id\":\"bob\",\"name\":\"Bob B\"},"
                + "\"mention-call1\":{\"type\":\"call\",\"id\":\"n3xtc10ud\",\"name\":\"Team\"},"
                + "\"file0\":{\"type\":\"file\",\"id\":\"12\",\"name\":\"notes.md\"}}}";
        TalkBotMessage m = new TalkBotMessage("Create", "users/alice", "Alice", 7, "message", content,
                "text/markdown", "n3xtc10ud", "Team");
        assertEquals(3, m.parameters().size());
        assertEquals(java.util.List.of(new TalkBotMessage.Parameter("mention-user1", "user", "bob", "Bob B"),
                new TalkBotMessage.Parameter("mention-call1", "call", "n3xtc10ud", "Team")), m.mentions());
        assertEquals("@Bob B and @Team, what is notes.md?", m.plainText());
        assertTrue(m.isChatMessage());
        assertFalse(m.fromBot());

        TalkBotMessage plain = new TalkBotMessage("Create", "bots/bot-1", "Other bot", 8, "message", "just text",
                "text/plain", "t", "T");
        assertEquals("just text", plain.plainText());
        assertTrue(plain.mentions().isEmpty());
        assertTrue(plain.fromBot());
        TalkBotMessage system = new TalkBotMessage("Create", "users/alice", "Alice", 9, "call_started",
                "{\"message\":\"You started a call\",\"parameters\":[]}", "text/plain", "t", "T");
        assertFalse(system.isChatMessage());
        assertTrue(system.parameters().isEmpty());
        assertFalse(new TalkBotMessage("Like", "users/alice", "Alice", 7, "message", content, "text/markdown",
                "t", "T").isChatMessage());
    }
}
