package org.harpjava.samples.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.websocket.WsCloseCodes;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;
import org.harpjava.exapp.AccessLevel;
import org.harpjava.exapp.Caller;
import org.harpjava.exapp.WebSocketRoute;
import org.harpjava.samples.chat.ConversationStore.Conversation;
import org.harpjava.samples.chat.ConversationStore.NoSuchConversationException;

import java.io.IOException;

/**
 * The chat over a WebSocket, {@code wss://<nextcloud>/exapps/<appid>/ws} (through HaRP). Messages are JSON objects.
 *
 * <p>From the browser:
 * <pre>
 * {"type":"send","conversation":12,"content":"Hello"}   conversation left out: a new one is started
 * {"type":"cancel"}                                      stops the reply being written
 * </pre>
 * To the browser, for each {@code send}: {@code started} (with the conversation id and title), one {@code token}
 * per piece of the reply as the model writes it, then {@code done} (with {@code "cancelled":true} after a cancel),
 * or {@code error} with a message for the user:
 * <pre>
 * {"type":"started","conversation":12,"title":"Hello"}
 * {"type":"token","text":"Hi"}
 * {"type":"done","conversation":12,"cancelled":false}
 * {"type":"error","message":"The chat engine at http://ollama:11434/v1 cannot be reached; is it running?"}
 * </pre>
 */
public final class ChatSocket {
    private static final System.Logger LOG = System.getLogger(ChatSocket.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ChatService chat;

    public ChatSocket(ChatService chat) {
        this.chat = chat;
    }

    /** A connection's listener; the SDK has checked the handshake's AppAPI headers before calling this. */
    @WebSocketRoute(path = "/ws", access = AccessLevel.USER)
    WsListener connect(Caller caller) {
        return caller.userId().<WsListener>map(Session::new).orElseGet(() -> new WsListener() {
            @Override
            public void onOpen(WsSession session) {
                session.close(WsCloseCodes.VIOLATED_POLICY, "the chat needs a Nextcloud user");
            }
        });
    }

    /** One user's connection: at most one reply is written at a time. */
    private final class Session implements WsListener {
        private final String user;
        private final StringBuilder fragments = new StringBuilder();
        private volatile Generation current;

        Session(String user) {
            this.user = user;
        }

        @Override
        public void onMessage(WsSession session, String text, boolean last) {
            fragments.append(text);
            if (fragments.length() > ChatService.MAX_MESSAGE_CHARS * 2) {
                fragments.setLength(0);
                session.close(WsCloseCodes.TOO_BIG, "message too long");
                return;
            }
            if (!last) {
                return;
            }
            String whole = fragments.toString();
            fragments.setLength(0);
            JsonNode message;
            try {
                message = JSON.readTree(whole);
            } catch (IOException e) {
                message = null;
            }
            if (message == null || !message.isObject()) {
                send(session, error("Messages must be JSON objects such as {\"type\":\"send\",\"content\":\"Hello\"}"));
                return;
            }
            switch (message.path("type").asText()) {
                case "send" -> startReply(session, message);
                case "cancel" -> {
                    Generation g = current;
                    if (g != null) {
                        g.cancel();
                    }
                }
                default -> send(session, error("Unknown message type \"" + message.path("type").asText()
                        + "\"; use \"send\" or \"cancel\""));
            }
        }

        private void startReply(WsSession session, JsonNode message) {
            if (current != null) {
                send(session, error("A reply is still being written; cancel it first"));
                return;
            }
            Generation generation = new Generation();
            current = generation;
            // The reply is written on its own thread, so that this connection keeps reading (and sees a cancel).
            Thread.ofVirtual().name("chat-reply-" + user).start(() -> {
                ObjectNode last = error("The reply failed; see the app's log");
                try {
                    last = reply(session, message, generation);
                } finally {
                    current = null; // before the last message, so that the browser may send again at once
                    send(session, last);
                }
            });
        }

        /** Writes the reply; returns the message that ends it ({@code done} or {@code error}). */
        private ObjectNode reply(WsSession session, JsonNode message, Generation generation) {
            String content = message.path("content").asText("");
            try {
                ChatService.requireValid(content);
                Conversation conversation = message.hasNonNull("conversation")
                        ? chat.store().find(user, message.path("conversation").asLong(-1))
                                .orElseThrow(() -> new NoSuchConversationException(message.path("conversation").asLong(-1)))
                        : chat.start(user, content);
                send(session, JSON.createObjectNode().put("type", "started")
                        .put("conversation", conversation.id()).put("title", conversation.title()));
                ChatEngine.Completion done = chat.reply(user, conversation.id(), content,
                        token -> send(session, JSON.createObjectNode().put("type", "token").put("text", token)),
                        generation);
                return JSON.createObjectNode().put("type", "done").put("conversation", conversation.id())
                        .put("cancelled", done.cancelled());
            } catch (EngineException e) {
                LOG.log(System.Logger.Level.WARNING, "Reply for " + user + " failed: " + e.getMessage());
                return error(e.getMessage());
            } catch (IllegalArgumentException | NoSuchConversationException e) {
                return error(e.getMessage());
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "Reply for " + user + " failed", e);
                return error("The reply failed; see the app's log");
            }
        }

        @Override
        public void onClose(WsSession session, int status, String reason) {
            Generation g = current;
            if (g != null) {
                g.cancel(); // nobody is listening any more: stop the engine too
            }
        }

        @Override
        public void onError(WsSession session, Throwable t) {
            onClose(session, WsCloseCodes.UNEXPECTED_CONDITION, t.getMessage());
        }

        private void send(WsSession session, ObjectNode message) {
            synchronized (this) { // tokens and errors come from the reply thread, refusals from the reader
                try {
                    session.send(message.toString(), true);
                } catch (RuntimeException e) {
                    // The connection is gone; stop generating for it.
                    Generation g = current;
                    if (g != null) {
                        g.cancel();
                    }
                }
            }
        }

        private ObjectNode error(String text) {
            return JSON.createObjectNode().put("type", "error").put("message", text);
        }
    }
}
