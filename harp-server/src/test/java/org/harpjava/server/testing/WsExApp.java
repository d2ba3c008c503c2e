package org.harpjava.server.testing;

import io.helidon.common.buffers.BufferData;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.http.WritableHeaders;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.websocket.WsConfig;
import io.helidon.webserver.websocket.WsRouting;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A WebSocket ExApp on loopback (Helidon's WebSocket server). Endpoints, as the ExApp sees them:
 * <ul>
 *     <li>{@code /ws}: echoes every text and binary frame as it arrives (same {@code last} flag, so fragmented
 *     messages come back fragmented). The text {@code close:CODE:REASON} makes it close with that code; the text
 *     {@code headers} answers with the handshake's headers, one {@code name: value} line each. It offers the
 *     subprotocol {@code chat.v2} when the client asks for it.</li>
 *     <li>text {@code flood:N}: N binary messages of 64 KiB, as fast as the connection takes them</li>
 *     <li>text {@code later:MS:TEXT}: TEXT, sent MS milliseconds later</li>
 *     <li>{@code /public/ws}, {@code /admin/ws}: the same, for routes of other access levels</li>
 *     <li>{@code /plain}: an ordinary HTTP resource answering 200 {@code plain}, so a handshake there is not
 *     switched.</li>
 * </ul>
 */
public final class WsExApp implements AutoCloseable {
    private final java.util.concurrent.atomic.AtomicLong flooded = new java.util.concurrent.atomic.AtomicLong();
    private final WebServer server;
    private final AtomicInteger open = new AtomicInteger();
    private final BlockingQueue<String> closes = new LinkedBlockingQueue<>();

    public WsExApp() {
        server = WebServer.builder()
                .host("127.0.0.1")
                .port(0)
                .featuresDiscoverServices(false)
                .shutdownHook(false)
                .addProtocol(WsConfig.builder().name("websocket").maxFrameLength(64 * 1024 * 1024).build())
                .addRouting(WsRouting.builder().endpoint("/ws", Echo::new).endpoint("/public/ws", Echo::new)
                        .endpoint("/admin/ws", Echo::new))
                .routing(r -> r.get("/plain", (req, res) -> res.send("plain")))
                .build()
                .start();
    }

    public int port() {
        return server.port();
    }

    /** Sessions open now. */
    /** 64 KiB messages sent so far by {@code flood:N} commands (the send blocks when the peer does not read). */
    public long flooded() {
        return flooded.get();
    }

    public int openSessions() {
        return open.get();
    }

    /** The next close the ExApp received, as {@code CODE REASON}. */
    public BlockingQueue<String> closes() {
        return closes;
    }

    @Override
    public void close() {
        server.stop();
    }

    private final class Echo implements WsListener {
        private volatile Headers handshake = WritableHeaders.create();

        @Override
        public Optional<Headers> onHttpUpgrade(HttpPrologue prologue, Headers headers) {
            handshake = headers;
            boolean chat = headers.values(HeaderNames.create("Sec-WebSocket-Protocol")).stream()
                    .flatMap(v -> List.of(v.split(",")).stream()).map(String::strip).anyMatch("chat.v2"::equals);
            if (!chat) {
                return Optional.empty();
            }
            WritableHeaders<?> extra = WritableHeaders.create();
            extra.set(HeaderNames.create("Sec-WebSocket-Protocol"), "chat.v2");
            return Optional.of(extra);
        }

        @Override
        public void onOpen(WsSession session) {
            open.incrementAndGet();
        }

        @Override
        public void onMessage(WsSession session, String text, boolean last) {
            if (text.startsWith("close:")) {
                String[] parts = text.split(":", 3);
                session.close(Integer.parseInt(parts[1]), parts[2]);
                return;
            }
            if (text.startsWith("flood:")) {
                int count = Integer.parseInt(text.substring(6));
                Thread.ofVirtual().start(() -> {
                    byte[] chunk = new byte[64 * 1024];
                    for (int i = 0; i < count; i++) {
                        session.send(io.helidon.common.buffers.BufferData.create(chunk), true);
                        flooded.incrementAndGet();
                    }
                });
                return;
            }
            if (text.startsWith("later:")) {
                String[] parts = text.split(":", 3);
                Thread.ofVirtual().start(() -> {
                    try {
                        Thread.sleep(Long.parseLong(parts[1]));
                        session.send(parts[2], true);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                return;
            }
            if (text.equals("headers")) {
                StringBuilder b = new StringBuilder();
                handshake.forEach(h -> h.allValues().forEach(v -> b.append(h.name().toLowerCase()).append(": ")
                        .append(v).append('\n')));
                session.send(b.toString(), true);
                return;
            }
            session.send(text, last);
        }

        @Override
        public void onMessage(WsSession session, BufferData buffer, boolean last) {
            session.send(buffer, last);
        }

        @Override
        public void onPing(WsSession session, BufferData buffer) {
            session.pong(buffer);
        }

        @Override
        public void onClose(WsSession session, int status, String reason) {
            open.decrementAndGet();
            closes.add(status + " " + reason);
        }

        @Override
        public void onError(WsSession session, Throwable t) {
            open.decrementAndGet();
            closes.add("error " + t);
        }
    }
}
