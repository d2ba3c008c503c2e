package org.harpjava.samples.chat;

/**
 * One message of a conversation, as OpenAI-compatible servers take them.
 *
 * @param role    {@code system}, {@code user} or {@code assistant}
 * @param content the text
 */
public record Message(String role, String content) {
    public static Message system(String content) {
        return new Message("system", content);
    }

    public static Message user(String content) {
        return new Message("user", content);
    }

    public static Message assistant(String content) {
        return new Message("assistant", content);
    }
}
