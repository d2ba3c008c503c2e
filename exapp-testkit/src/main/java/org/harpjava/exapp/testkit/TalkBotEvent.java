package org.harpjava.exapp.testkit;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A chat message event as Talk posts it to a bot (Activity Streams 2.0, see Talk's {@code docs/bots.md}), for
 * tests of a bot's webhook. Build one, then send {@link #body()} with {@link #signedHeaders(String)} as Talk does,
 * or without them as AppAPI's talk proxy does after checking them.
 * <pre>{@code
 * TalkBotEvent e = TalkBotEvent.message("users/alice", "Alice", 42, "{mention-bot} hello?", "room1", "Team")
 *         .mention("mention-bot", "user", "bot-" + botId, "ChatBot");
 * }</pre>
 */
public final class TalkBotEvent {
    /** The header with the random value Talk signs with. */
    public static final String RANDOM_HEADER = "X-Nextcloud-Talk-Random";
    /** The header with Talk's signature of the random value and the body. */
    public static final String SIGNATURE_HEADER = "X-Nextcloud-Talk-Signature";

    private final ObjectNode root;
    private final ObjectNode parameters = Ocs.object();
    private final String text;

    private TalkBotEvent(ObjectNode root, String text) {
        this.root = root;
        this.text = text;
    }

    /**
     * A message {@code text} (with {@code {placeholders}} for {@link #mention mentions}) written by {@code actorId}
     * (such as {@code users/alice}) as message {@code messageId} in conversation {@code token}.
     */
    public static TalkBotEvent message(String actorId, String actorName, long messageId, String text, String token,
                                       String conversationName) {
        ObjectNode root = Ocs.object().put("type", "Create");
        root.putObject("actor").put("type", "Person").put("id", actorId).put("name", actorName);
        root.putObject("object").put("type", "Note").put("id", Long.toString(messageId)).put("name", "message")
                .put("mediaType", "text/markdown");
        root.putObject("target").put("type", "Collection").put("id", token).put("name", conversationName);
        return new TalkBotEvent(root, text);
    }

    /** Adds the rich-object parameter {@code key} (a mention when it starts with {@code mention-}). */
    public TalkBotEvent mention(String key, String type, String id, String name) {
        parameters.putObject(key).put("type", type).put("id", id).put("name", name);
        return this;
    }

    /** Makes it an event of another kind, such as {@code call_started} for a system message. */
    public TalkBotEvent systemMessage(String name) {
        ((ObjectNode) root.get("object")).put("name", name);
        return this;
    }

    /** The request body: the event as JSON, its {@code object.content} itself JSON text, as Talk sends it. */
    public byte[] body() {
        ObjectNode content = Ocs.object().put("message", text);
        content.set("parameters", parameters.isEmpty() ? Ocs.JSON.createArrayNode() : parameters);
        ObjectNode event = root.deepCopy();
        ((ObjectNode) event.get("object")).put("content", content.toString());
        return event.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Talk's headers for {@link #body()} signed with the bot's {@code secret}: a fresh random value and the HMAC. */
    public Map<String, String> signedHeaders(String secret) {
        return signedHeaders(secret, body());
    }

    /** Talk's headers for {@code body} signed with {@code secret}. */
    public static Map<String, String> signedHeaders(String secret, byte[] body) {
        String random = (UUID.randomUUID() + UUID.randomUUID().toString()).replace("-", "");
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put(RANDOM_HEADER, random);
        headers.put(SIGNATURE_HEADER,
                TalkEndpoints.hmac(secret, random + new String(body, StandardCharsets.UTF_8)));
        return headers;
    }
}
