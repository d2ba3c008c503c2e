package org.harpjava.samples.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import org.harpjava.exapp.AccessLevel;
import org.harpjava.exapp.Caller;
import org.harpjava.exapp.Route;
import org.harpjava.samples.chat.ConversationStore.Conversation;
import org.harpjava.samples.chat.ConversationStore.NoSuchConversationException;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The chat's HTTP API, for the web page and for clients without WebSockets. Every route is for logged-in users
 * ({@link AccessLevel#USER}): Nextcloud (HaRP, or AppAPI's PHP proxy) lets only those through, and says who they
 * are in the request the SDK has already verified.
 * <pre>
 * GET    /api/conversations                  the user's conversations
 * POST   /api/conversations                  {"title":"..."}: starts one
 * GET    /api/conversations/{id}             one conversation with its messages
 * DELETE /api/conversations/{id}
 * POST   /api/conversations/{id}/messages    {"content":"..."}: the reply as server-sent events
 * </pre>
 */
public final class ChatApi {
    private static final System.Logger LOG = System.getLogger(ChatApi.class.getName());
    static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_BODY_BYTES = 256 * 1024;

    private final ChatService chat;

    public ChatApi(ChatService chat) {
        this.chat = chat;
    }

    @Route(path = "/api/conversations", methods = "GET", access = AccessLevel.USER)
    void list(ServerResponse res, Caller caller) {
        Optional<String> user = user(caller, res);
        if (user.isEmpty()) {
            return;
        }
        ArrayNode list = JSON.createArrayNode();
        chat.store().list(user.get()).forEach(c -> list.add(json(c)));
        send(res, Status.OK_200, list);
    }

    @Route(path = "/api/conversations", methods = "POST", access = AccessLevel.USER)
    void create(ServerRequest req, ServerResponse res, Caller caller) {
        Optional<String> user = user(caller, res);
        Optional<JsonNode> body = user.isEmpty() ? Optional.empty() : body(req, res);
        if (body.isEmpty()) {
            return;
        }
        send(res, Status.CREATED_201, json(chat.store().create(user.get(), body.get().path("title").asText(""))));
    }

    @Route(path = "/api/conversations/{id}", methods = "GET", access = AccessLevel.USER)
    void show(ServerRequest req, ServerResponse res, Caller caller) {
        Optional<String> user = user(caller, res);
        if (user.isEmpty()) {
            return;
        }
        long id = id(req);
        Optional<Conversation> conversation = chat.store().find(user.get(), id);
        if (conversation.isEmpty()) {
            error(res, Status.NOT_FOUND_404, new NoSuchConversationException(id).getMessage());
            return;
        }
        ObjectNode out = json(conversation.get());
        ArrayNode messages = out.putArray("messages");
        chat.store().messages(user.get(), id)
                .forEach(m -> messages.addObject().put("role", m.role()).put("content", m.content()));
        send(res, Status.OK_200, out);
    }

    @Route(path = "/api/conversations/{id}", methods = "DELETE", access = AccessLevel.USER)
    void delete(ServerRequest req, ServerResponse res, Caller caller) {
        Optional<String> user = user(caller, res);
        if (user.isEmpty()) {
            return;
        }
        if (chat.store().delete(user.get(), id(req))) {
            res.status(Status.NO_CONTENT_204).send();
        } else {
            error(res, Status.NOT_FOUND_404, new NoSuchConversationException(id(req)).getMessage());
        }
    }

    /**
     * Sends a message and streams the reply as server-sent events, as they are written:
     * <pre>
     * event: token
     * data: {"text":"Hel"}
     *
     * event: done
     * data: {"conversation":12,"cancelled":false}
     * </pre>
     * Closing the connection cancels the reply (what was written so far is kept). When the engine fails before
     * the first token the answer is a plain {@code 502} with {@code {"error": ...}}; after it, an {@code error}
     * event.
     */
    @Route(path = "/api/conversations/{id}/messages", methods = "POST", access = AccessLevel.USER)
    void message(ServerRequest req, ServerResponse res, Caller caller) {
        Optional<String> user = user(caller, res);
        Optional<JsonNode> body = user.isEmpty() ? Optional.empty() : body(req, res);
        if (body.isEmpty()) {
            return;
        }
        long id = id(req);
        EventStream events = new EventStream(res);
        Generation generation = new Generation();
        try {
            ChatEngine.Completion done = chat.reply(user.get(), id, body.get().path("content").asText(""),
                    token -> {
                        if (!events.send("token", JSON.createObjectNode().put("text", token))) {
                            generation.cancel(); // the client went away
                        }
                    }, generation);
            events.send("done", JSON.createObjectNode().put("conversation", id).put("cancelled", done.cancelled()));
        } catch (NoSuchConversationException e) {
            error(res, Status.NOT_FOUND_404, e.getMessage());
        } catch (IllegalArgumentException e) {
            error(res, Status.BAD_REQUEST_400, e.getMessage());
        } catch (EngineException e) {
            LOG.log(System.Logger.Level.WARNING, "Reply for " + user.get() + " failed: " + e.getMessage());
            if (events.started()) {
                events.send("error", JSON.createObjectNode().put("message", e.getMessage()));
            } else {
                error(res, Status.BAD_GATEWAY_502, e.getMessage());
            }
        } finally {
            events.close();
        }
    }

    /**
     * A {@code text/event-stream} response, begun at the first event so that errors before it can still be plain
     * HTTP errors.
     */
    private static final class EventStream {
        private final ServerResponse res;
        private OutputStream out;
        private boolean broken;

        EventStream(ServerResponse res) {
            this.res = res;
        }

        boolean started() {
            return out != null;
        }

        /** Writes one event; false when the client is gone. */
        boolean send(String event, JsonNode data) {
            if (broken) {
                return false;
            }
            try {
                if (out == null) {
                    res.header(HeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8")
                            .header(HeaderNames.CACHE_CONTROL, "no-cache")
                            .header("X-Accel-Buffering", "no"); // nginx in front: do not buffer the stream
                    out = res.outputStream();
                }
                out.write(("event: " + event + "\ndata: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                return true;
            } catch (IOException | RuntimeException e) {
                // A client that went away: IOException, UncheckedIOException or, since Helidon 4.5, its
                // SocketWriterException.
                broken = true;
                return false;
            }
        }

        void close() {
            if (out != null) {
                try {
                    out.close();
                } catch (IOException | RuntimeException e) {
                    // the client is gone
                }
            }
        }
    }

    /** The calling user; answers 403 when the request carries none (AppAPI's system calls). */
    static Optional<String> user(Caller caller, ServerResponse res) {
        if (caller.userId().isEmpty()) {
            error(res, Status.FORBIDDEN_403, "This route is for Nextcloud users");
        }
        return caller.userId();
    }

    private static long id(ServerRequest req) {
        try {
            return Long.parseLong(req.path().pathParameters().get("id"));
        } catch (NumberFormatException e) {
            return -1; // no conversation has it
        }
    }

    /** The request's JSON object; answers 400 or 413 when there is none. */
    private static Optional<JsonNode> body(ServerRequest req, ServerResponse res) {
        try {
            byte[] bytes = req.content().inputStream().readNBytes(MAX_BODY_BYTES + 1);
            if (bytes.length > MAX_BODY_BYTES) {
                error(res, Status.REQUEST_ENTITY_TOO_LARGE_413, "The request is larger than " + MAX_BODY_BYTES + " bytes");
                return Optional.empty();
            }
            JsonNode node = bytes.length == 0 ? JSON.createObjectNode() : JSON.readTree(bytes);
            if (node.isObject()) {
                return Optional.of(node);
            }
        } catch (IOException e) {
            // answered below
        }
        error(res, Status.BAD_REQUEST_400, "The request body must be a JSON object");
        return Optional.empty();
    }

    private static ObjectNode json(Conversation c) {
        return JSON.createObjectNode().put("id", c.id()).put("title", c.title()).put("updated", c.updated().toString());
    }

    static void send(ServerResponse res, Status status, JsonNode body) {
        res.status(status).header(HeaderNames.CONTENT_TYPE, "application/json")
                .send(body.toString().getBytes(StandardCharsets.UTF_8));
    }

    static void error(ServerResponse res, Status status, String message) {
        send(res, status, JSON.createObjectNode().put("error", message));
    }
}
