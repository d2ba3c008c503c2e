package org.harpjava.samples.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A client of an OpenAI-compatible chat completion server (Ollama, llama.cpp server, vLLM, LocalAI, ...):
 * {@code POST <base>/chat/completions} with {@code "stream": true}, read as server-sent events, one token (or a
 * few) per {@code data:} line, until {@code data: [DONE]}.
 */
public final class ChatEngine {
    private static final System.Logger LOG = System.getLogger(ChatEngine.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What the engine produced.
     *
     * @param text      the whole reply (the part produced before cancellation, if cancelled)
     * @param cancelled whether {@link Generation#cancel()} stopped it
     */
    public record Completion(String text, boolean cancelled) {
    }

    private final ChatConfig config;
    private final HttpClient http;

    public ChatEngine(ChatConfig config) {
        this.config = config;
        this.http = HttpClient.newBuilder().connectTimeout(config.timeout()).build();
    }

    /**
     * Streams the model's reply to {@code messages}, handing each token to {@code onToken} as it arrives.
     *
     * @throws EngineException when the engine cannot be reached, refuses the request, or stops answering
     */
    public Completion stream(List<Message> messages, Consumer<String> onToken, Generation generation)
            throws EngineException {
        HttpResponse<InputStream> response = send(post("/chat/completions", requestBody(messages)));
        StringBuilder text = new StringBuilder();
        AtomicBoolean stalled = new AtomicBoolean();
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw refused(response.statusCode(), body);
            }
            generation.attach(body);
            AtomicLong lastChunk = new AtomicLong(System.nanoTime());
            Thread watchdog = Thread.ofVirtual().start(() -> closeWhenIdle(body, lastChunk, stalled));
            try {
                BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
                String line;
                while ((line = lines.readLine()) != null && !generation.cancelled()) {
                    lastChunk.set(System.nanoTime());
                    if (!line.startsWith("data:")) {
                        continue; // blank separators, comments, "event:" lines
                    }
                    String data = line.substring(5).strip();
                    if (data.equals("[DONE]")) {
                        break;
                    }
                    String token = token(data);
                    if (!token.isEmpty()) {
                        text.append(token);
                        onToken.accept(token);
                    }
                }
            } finally {
                watchdog.interrupt();
            }
        } catch (IOException e) {
            if (!generation.cancelled() && !stalled.get()) {
                throw new EngineException("The connection to the chat engine broke: " + e.getMessage(), e);
            }
        }
        if (stalled.get() && !generation.cancelled()) {
            throw new EngineException("The chat engine stopped answering for " + config.timeout().toSeconds() + " s");
        }
        return new Completion(text.toString(), generation.cancelled());
    }

    /** The reply to {@code messages}, whole. */
    public String complete(List<Message> messages) throws EngineException {
        return stream(messages, token -> { }, new Generation()).text();
    }

    /** The model names the engine serves ({@code GET <base>/models}). */
    public List<String> models() throws EngineException {
        HttpResponse<InputStream> response = send(request("/models").GET().build());
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw refused(response.statusCode(), body);
            }
            return JSON.readTree(body).path("data").findValuesAsText("id");
        } catch (IOException e) {
            throw new EngineException("The chat engine sent an unreadable model list: " + e.getMessage(), e);
        }
    }

    private String requestBody(List<Message> messages) {
        ObjectNode body = JSON.createObjectNode().put("model", config.model()).put("stream", true);
        ArrayNode list = body.putArray("messages");
        messages.forEach(m -> list.addObject().put("role", m.role()).put("content", m.content()));
        return body.toString();
    }

    private HttpRequest post(String path, String json) {
        return request(path).header("Content-Type", "application/json").header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(config.engineUrl() + path)).timeout(config.timeout());
        config.apiKey().ifPresent(key -> b.header("Authorization", "Bearer " + key));
        return b;
    }

    private HttpResponse<InputStream> send(HttpRequest request) throws EngineException {
        String where = " at " + config.engineUrl();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpConnectTimeoutException e) {
            throw new EngineException("The chat engine" + where + " did not accept a connection within "
                    + config.timeout().toSeconds() + " s", e);
        } catch (HttpTimeoutException e) {
            throw new EngineException("The chat engine" + where + " did not answer within "
                    + config.timeout().toSeconds() + " s", e);
        } catch (ConnectException e) {
            throw new EngineException("The chat engine" + where + " cannot be reached; is it running?", e);
        } catch (IOException e) {
            throw new EngineException("The chat engine" + where + " cannot be reached: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException("Interrupted while calling the chat engine", e);
        }
    }

    /** One streamed chunk: {@code {"choices":[{"delta":{"content":"..."}}]}}, or an error some servers send. */
    private static String token(String data) throws EngineException {
        JsonNode chunk;
        try {
            chunk = JSON.readTree(data);
        } catch (IOException e) {
            throw new EngineException("The chat engine sent a chunk that is not JSON", e);
        }
        if (chunk.hasNonNull("error")) {
            throw new EngineException("The chat engine failed: " + errorText(chunk));
        }
        return chunk.path("choices").path(0).path("delta").path("content").asText("");
    }

    private EngineException refused(int status, InputStream body) {
        String detail;
        try {
            detail = errorText(JSON.readTree(body.readNBytes(8192)));
        } catch (IOException | RuntimeException e) {
            detail = "";
        }
        String hint = switch (status) {
            case 401, 403 -> " (check CHAT_API_KEY)";
            case 404 -> " (check CHAT_ENGINE_URL and CHAT_MODEL \"" + config.model() + "\")";
            default -> "";
        };
        EngineException e = new EngineException("The chat engine answered " + status + hint
                + (detail.isEmpty() ? "" : ": " + detail));
        LOG.log(System.Logger.Level.WARNING, e.getMessage());
        return e;
    }

    /** The message of an OpenAI-style error object, cut short. */
    private static String errorText(JsonNode node) {
        JsonNode error = node.path("error");
        String text = error.isTextual() ? error.asText() : error.path("message").asText("");
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }

    /** Closes {@code body} when no chunk arrived for the configured timeout, which ends the blocked read. */
    private void closeWhenIdle(InputStream body, AtomicLong lastChunk, AtomicBoolean stalled) {
        long limit = config.timeout().toNanos();
        try {
            while (true) {
                long idle = System.nanoTime() - lastChunk.get();
                if (idle >= limit) {
                    stalled.set(true);
                    body.close();
                    return;
                }
                Thread.sleep(java.time.Duration.ofNanos(limit - idle));
            }
        } catch (InterruptedException | IOException e) {
            // the stream ended first
        }
    }
}
