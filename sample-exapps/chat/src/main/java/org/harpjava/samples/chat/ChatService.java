package org.harpjava.samples.chat;

import org.harpjava.samples.chat.ConversationStore.Conversation;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * What the WebSocket, the server-sent events route and the TaskProcessing provider share: a conversation turn.
 * The user's message and the model's reply are stored together once the reply is written (or cancelled), so a
 * failed turn leaves the conversation as it was and can simply be sent again.
 */
public final class ChatService {
    /** Longest message accepted from a user, in characters. */
    public static final int MAX_MESSAGE_CHARS = 32_000;

    private final ConversationStore store;
    private final ChatEngine engine;
    private final ChatConfig config;

    public ChatService(ConversationStore store, ChatEngine engine, ChatConfig config) {
        this.store = store;
        this.engine = engine;
        this.config = config;
    }

    public ConversationStore store() {
        return store;
    }

    /** Starts a conversation of {@code user}, titled after its first message. */
    public Conversation start(String user, String firstMessage) {
        String line = firstMessage.strip().lines().findFirst().orElse("");
        return store.create(user, line.length() > 60 ? line.substring(0, 60) + "..." : line);
    }

    /**
     * Sends {@code content} in conversation {@code conversationId} of {@code user}, hands the reply's tokens to
     * {@code onToken} as the engine produces them, and stores the turn.
     *
     * @throws IllegalArgumentException when the message is empty or too long
     * @throws ConversationStore.NoSuchConversationException when the user has no such conversation
     * @throws EngineException when the engine fails; nothing is stored then
     */
    public ChatEngine.Completion reply(String user, long conversationId, String content, Consumer<String> onToken,
                                       Generation generation) throws EngineException {
        requireValid(content);
        List<Message> prompt = new ArrayList<>();
        prompt.add(Message.system(config.systemPrompt()));
        prompt.addAll(store.messages(user, conversationId));
        prompt.add(Message.user(content));

        ChatEngine.Completion reply = engine.stream(prompt, onToken, generation);

        store.add(user, conversationId, Message.user(content));
        if (!reply.text().isEmpty()) {
            store.add(user, conversationId, Message.assistant(reply.text()));
        }
        return reply;
    }

    /** The engine's whole reply to {@code messages}, without storing anything (for TaskProcessing). */
    public String complete(List<Message> messages) throws EngineException {
        return engine.complete(messages);
    }

    /** The engine, for the setup check. */
    public ChatEngine engine() {
        return engine;
    }

    public ChatConfig config() {
        return config;
    }

    static void requireValid(String content) {
        if (content == null || content.isBlank()) {
            throw new IllegalArgumentException("The message is empty");
        }
        if (content.length() > MAX_MESSAGE_CHARS) {
            throw new IllegalArgumentException("The message is longer than " + MAX_MESSAGE_CHARS + " characters");
        }
    }
}
