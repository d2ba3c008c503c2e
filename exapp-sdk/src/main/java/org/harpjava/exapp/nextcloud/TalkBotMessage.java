package org.harpjava.exapp.nextcloud;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;

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

    /** The message text: {@code message} of the JSON content, or the content itself when it is not JSON. */
    public String text() {
        try {
            JsonNode c = Json.MAPPER.readTree(content);
            if (c != null && c.has("message")) {
                return c.get("message").asText();
            }
        } catch (IOException e) {
            // plain text content
        }
        return content;
    }
}
