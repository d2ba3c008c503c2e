package org.harpjava.exapp.nextcloud;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What Talk posts to a bot (an Activity Streams object): a chat message, a reaction or a join or leave event.
 * Verify the request with {@link TalkBotSignature#verify} before parsing it.
 *
 * @param type               {@code Create} for a message, {@code Like}/{@code Undo} for reactions, {@code Join},
 *                           {@code Leave}
 * @param actorId            the author, such as {@code users/alice}
 * @param actorName          the author's display name
 * @param messageId          the message id, to reply or react to
 * @param objectName         {@code message} for a written message, otherwise a system message id
 * @param content            the {@code object.content} text: for a message, JSON with {@code message} and
 *                           {@code parameters}
 * @param mediaType          {@code text/markdown} or {@code text/plain}
 * @param conversationToken  the conversation token, to reply in
 * @param conversationName   the conversation's name
 */
public record TalkBotMessage(String type, String actorId, String actorName, long messageId, String objectName,
                             String content, String mediaType, String conversationToken, String conversationName) {
    /** Parses the raw request body. */
    public static TalkBotMessage parse(byte[] body) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("the Talk bot request body is not JSON", e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("the Talk bot request body is not a JSON object");
        }
        JsonNode actor = root.path("actor");
        JsonNode object = root.path("object");
        JsonNode target = root.path("target");
        return new TalkBotMessage(Json.text(root, "type", ""), Json.text(actor, "id", ""),
                Json.text(actor, "name", ""), object.path("id").asLong(0), Json.text(object, "name", ""),
                Json.text(object, "content", ""), Json.text(object, "mediaType", ""), Json.text(target, "id", ""),
                Json.text(target, "name", ""));
    }

    /**
     * One rich-object parameter of a message, such as a mention: the text holds {@code {key}} where the chat
     * view shows it.
     *
     * @param key  the placeholder's name, such as {@code mention-user1}
     * @param type {@code user}, {@code guest}, {@code call}, {@code user-group}, {@code file}, ...
     * @param id   the object's id (for a user, the user id)
     * @param name its display name
     */
    public record Parameter(String key, String type, String id, String name) {
    }

    /** The message text: {@code message} of the JSON content, or the content itself when it is not JSON. */
    public String text() {
        JsonNode c = contentJson();
        return c != null && c.has("message") ? c.get("message").asText() : content;
    }

    /**
     * {@link #text()} with each {@code {placeholder}} replaced by its parameter's name, mentions as
     * {@code @name}: the text as the chat view shows it.
     */
    public String plainText() {
        String text = text();
        for (Parameter p : parameters()) {
            String shown = p.key().startsWith("mention-") ? "@" + p.name() : p.name();
            text = text.replace("{" + p.key() + "}", shown);
        }
        return text;
    }

    /** Whether this is a message someone wrote ({@code Create} of a {@code message}), not a system message. */
    public boolean isChatMessage() {
        return type.equals("Create") && objectName.equals("message");
    }

    /** Whether a Talk bot wrote it (the actor is {@code bots/...}); a bot should not answer bots. */
    public boolean fromBot() {
        return actorId.startsWith("bots/");
    }

    /** The rich-object parameters of the content, in order; empty for plain content. */
    public List<Parameter> parameters() {
        JsonNode c = contentJson();
        List<Parameter> out = new ArrayList<>();
        if (c != null) {
            for (Map.Entry<String, JsonNode> p : c.path("parameters").properties()) {
                JsonNode v = p.getValue();
                out.add(new Parameter(p.getKey(), Json.text(v, "type", ""), Json.text(v, "id", ""),
                        Json.text(v, "name", "")));
            }
        }
        return out;
    }

    /** The parameters that mention someone ({@code mention-...} placeholders). */
    public List<Parameter> mentions() {
        return parameters().stream().filter(p -> p.key().startsWith("mention-")).toList();
    }

    private JsonNode contentJson() {
        try {
            JsonNode c = Json.MAPPER.readTree(content);
            return c != null && c.isObject() ? c : null;
        } catch (IOException e) {
            return null; // plain text content
        }
    }
}
