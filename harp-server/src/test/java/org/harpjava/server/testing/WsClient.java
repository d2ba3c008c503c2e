package org.harpjava.server.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A WebSocket client (the JDK's) that queues what it receives: whole text messages, binary messages as length and
 * SHA-256 (so large ones are never held), fragments as they come when asked, and the close.
 */
public final class WsClient implements AutoCloseable {
    /** Something received. */
    public sealed interface Event {
    }

    /** A whole text message. */
    public record Text(String text) implements Event {
    }

    /** A whole binary message: its length and SHA-256 in hex, and its bytes when short. */
    public record Binary(long length, String sha256, byte[] bytes) implements Event {
    }

    /** The peer's close (or, with code 1006, the connection's end without one). */
    public record Closed(int code, String reason) implements Event {
    }

    /** A text fragment, when fragments are recorded. */
    public record Fragment(String text, boolean last) implements Event {
    }

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private final WebSocket ws;
    private final BlockingQueue<Event> events;

    private WsClient(WebSocket ws, BlockingQueue<Event> events) {
        this.ws = ws;
        this.events = events;
    }

    /**
     * Connects to {@code uri} with extra {@code headers} (name, value, ...) offering {@code subprotocols}.
     *
     * @throws WebSocketHandshakeException when the server does not switch protocols
     */
    public static WsClient connect(URI uri, List<String> subprotocols, String... headers)
            throws WebSocketHandshakeException {
        return connect(uri, false, subprotocols, headers);
    }

    public static WsClient connect(URI uri, boolean fragments, List<String> subprotocols, String... headers)
            throws WebSocketHandshakeException {
        BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        WebSocket.Builder b = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        if (!subprotocols.isEmpty()) {
            b.subprotocols(subprotocols.getFirst(), subprotocols.subList(1, subprotocols.size()).toArray(String[]::new));
        }
        try {
            WebSocket ws = b.buildAsync(uri, new Collector(events, fragments)).get(10, TimeUnit.SECONDS);
            return new WsClient(ws, events);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException h) {
                throw h;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The status of a refused handshake to {@code uri}, or 101 when it was accepted (and is closed again). */
    public static int handshakeStatus(URI uri, String... headers) {
        try (WsClient c = connect(uri, List.of(), headers)) {
            return 101;
        } catch (WebSocketHandshakeException e) {
            return e.getResponse().statusCode();
        }
    }

    public WebSocket socket() {
        return ws;
    }

    public String subprotocol() {
        return ws.getSubprotocol();
    }

    public void text(String text, boolean last) {
        await(ws.sendText(text, last));
    }

    public void binary(byte[] data, boolean last) {
        await(ws.sendBinary(ByteBuffer.wrap(data), last));
    }

    public void close(int code, String reason) {
        await(ws.sendClose(code, reason));
    }

    /** The next event, waiting up to {@code seconds}; fails when nothing comes. */
    public Event next(long seconds) {
        try {
            Event e = events.poll(seconds, TimeUnit.SECONDS);
            if (e == null) {
                throw new AssertionError("nothing received within " + seconds + " s");
            }
            return e;
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The next event within {@code millis}, or null. */
    public Event poll(long millis) throws InterruptedException {
        return events.poll(millis, TimeUnit.MILLISECONDS);
    }

    private static void await(CompletionStage<?> stage) {
        try {
            stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | CompletionException e) {
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        ws.abort();
    }

    private static final class Collector implements WebSocket.Listener {
        private final BlockingQueue<Event> events;
        private final boolean fragments;
        private final StringBuilder text = new StringBuilder();
        private MessageDigest digest = sha256();
        private long length;
        private java.io.ByteArrayOutputStream small = new java.io.ByteArrayOutputStream();

        Collector(BlockingQueue<Event> events, boolean fragments) {
            this.events = events;
            this.fragments = fragments;
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            if (fragments) {
                events.add(new Fragment(data.toString(), last));
            } else {
                text.append(data);
                if (last) {
                    events.add(new Text(text.toString()));
                    text.setLength(0);
                }
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            byte[] b = new byte[data.remaining()];
            data.get(b);
            digest.update(b);
            length += b.length;
            if (small != null && small.size() + b.length <= 64 * 1024) {
                small.writeBytes(b);
            } else {
                small = null;
            }
            if (last) {
                events.add(new Binary(length, HexFormat.of().formatHex(digest.digest()),
                        small == null ? null : small.toByteArray()));
                digest = sha256();
                length = 0;
                small = new java.io.ByteArrayOutputStream();
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            events.add(new Closed(statusCode, reason));
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            events.add(new Closed(1006, String.valueOf(error)));
        }

        private static MessageDigest sha256() {
            try {
                return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
