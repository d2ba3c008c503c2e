package org.harpjava.server.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * An engine's answer with its body still on the wire. Reading the body moves an idle deadline forward; closing the
 * response closes the connection (every call has its own).
 */
public final class EngineResponse implements Closeable {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Largest body {@link #json()} and {@link #text()} read. */
    static final int MAX_SMALL_BODY = 8 << 20;

    private final EngineClient engine;
    private final int status;
    private final Map<String, List<String>> headers;
    private final InputStream body;
    private final Channel channel;
    private final Watchdog watchdog;

    EngineResponse(EngineClient engine, int status, Map<String, List<String>> headers, InputStream raw,
                   Channel channel, Watchdog watchdog) {
        this.engine = engine;
        this.status = status;
        this.headers = headers;
        this.channel = channel;
        this.watchdog = watchdog;
        this.body = new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                try {
                    int n = raw.read(b, off, len);
                    watchdog.progress();
                    return n;
                } catch (IOException e) {
                    throw new IOException(watchdog.fired() ? "Docker Engine on port " + engine.port()
                            + " sent nothing for too long" : "Docker Engine on port " + engine.port()
                            + " broke the connection: " + e.getMessage(), e);
                }
            }
        };
    }

    public int status() {
        return status;
    }

    /** The first value of header {@code name} (any case). */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
    }

    /** Every header, names in lower case. */
    public Map<String, List<String>> headers() {
        return headers;
    }

    /** The body, streamed. */
    public InputStream body() {
        return body;
    }

    /** Whether the connection was closed because the deadline passed. */
    public boolean timedOut() {
        return watchdog.fired();
    }

    /** Reads the whole (small) body as text. */
    public String text() throws EngineException {
        return new String(bytes(), StandardCharsets.UTF_8);
    }

    /** Reads the whole (small) body as JSON; a body that is not JSON is a broken exchange. */
    public JsonNode json() throws EngineException {
        byte[] bytes = bytes();
        try {
            return JSON.readTree(bytes);
        } catch (IOException e) {
            throw new EngineException(EngineException.Kind.BROKEN, "Docker Engine on port " + engine.port()
                    + " answered with invalid JSON", e);
        }
    }

    /** The engine's error message from a JSON error body, or the body text. */
    public String message() throws EngineException {
        String text = text().strip();
        try {
            JsonNode m = JSON.readTree(text).path("message");
            if (m.isTextual()) {
                return m.asText();
            }
        } catch (IOException ignored) {
            // not JSON: the text itself
        }
        return text;
    }

    /** Reads and drops the rest of the body. */
    public void drain() throws EngineException {
        bytes();
    }

    private byte[] bytes() throws EngineException {
        try {
            byte[] b = body.readNBytes(MAX_SMALL_BODY + 1);
            if (b.length > MAX_SMALL_BODY) {
                throw new EngineException(EngineException.Kind.BROKEN, "Docker Engine on port " + engine.port()
                        + " answered with more than " + MAX_SMALL_BODY + " bytes", null);
            }
            return b;
        } catch (IOException e) {
            throw engine.failure(e, watchdog);
        }
    }

    @Override
    public void close() {
        watchdog.close();
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing more to read
        }
    }
}
