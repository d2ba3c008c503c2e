package org.harpjava.samples.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A small OpenAI-compatible server on loopback that answers {@code POST /v1/chat/completions} as the real ones do
 * with {@code "stream": true}: {@code chat.completion.chunk} objects as server-sent events, one token each, then
 * {@code data: [DONE]}. Tests script the tokens, their pace, a point where the stream waits for the test, an error
 * status, or silence; it records each request and whether the client hung up before the end.
 */
final class FakeEngine implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final List<JsonNode> requests = new CopyOnWriteArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private volatile List<String> tokens = List.of("Hello", ", ", "world", "!");
    private volatile Duration pace = Duration.ZERO;
    private volatile int holdAfter = -1;
    private volatile CountDownLatch release = new CountDownLatch(0);
    private volatile int status = 200;
    private volatile boolean silent;
    /** Counted down when a client hangs up in the middle of a stream. */
    final CountDownLatch hungUp = new CountDownLatch(1);
    private volatile int tokensSent;

    private FakeEngine(HttpServer server) {
        this.server = server;
    }

    static FakeEngine start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        FakeEngine engine = new FakeEngine(server);
        server.createContext("/v1/chat/completions", engine::completions);
        server.createContext("/v1/models", engine::models);
        server.start();
        return engine;
    }

    /** The base URL, for {@code CHAT_ENGINE_URL}. */
    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    FakeEngine reply(String... tokens) {
        this.tokens = List.of(tokens);
        return this;
    }

    /** {@code n} tokens of a long reply. */
    FakeEngine longReply(int n) {
        List<String> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add("t" + i + " ");
        }
        this.tokens = list;
        return this;
    }

    FakeEngine pace(Duration perToken) {
        this.pace = perToken;
        return this;
    }

    /** Sends {@code n} tokens, then waits for {@link #release()} before the rest. */
    FakeEngine holdAfter(int n) {
        this.holdAfter = n;
        this.release = new CountDownLatch(1);
        return this;
    }

    void release() {
        release.countDown();
    }

    /** Answers every completion with {@code status} and an OpenAI-style error. */
    FakeEngine failWith(int status) {
        this.status = status;
        return this;
    }

    /** Sends the headers of the stream, then nothing. */
    FakeEngine silent() {
        this.silent = true;
        return this;
    }

    List<JsonNode> requests() {
        return List.copyOf(requests);
    }

    List<String> authorizations() {
        return List.copyOf(authorizations);
    }

    int tokensSent() {
        return tokensSent;
    }

    private void completions(HttpExchange ex) throws IOException {
        requests.add(JSON.readTree(ex.getRequestBody()));
        authorizations.add(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
        if (status != 200) {
            byte[] body = ("{\"error\":{\"message\":\"model is not loaded\",\"type\":\"invalid_request_error\"}}")
                    .getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(status, body.length);
            ex.getResponseBody().write(body);
            ex.close();
            return;
        }
        ex.getResponseHeaders().set("Content-Type", "text/event-stream");
        ex.sendResponseHeaders(200, 0);
        OutputStream out = ex.getResponseBody();
        try {
            out.write(": a comment line, as some servers send first\n\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            if (silent) {
                Thread.sleep(30_000);
                return;
            }
            List<String> script = tokens;
            for (int i = 0; i < script.size(); i++) {
                if (i == holdAfter) {
                    release.await(20, TimeUnit.SECONDS);
                }
                if (!pace.isZero()) {
                    Thread.sleep(pace);
                }
                String chunk = JSON.createObjectNode().put("id", "chatcmpl-1").put("object", "chat.completion.chunk")
                        .set("choices", JSON.createArrayNode().add(JSON.createObjectNode().put("index", 0)
                                .set("delta", JSON.createObjectNode().put("content", script.get(i)))))
                        .toString();
                out.write(("data: " + chunk + "\n\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                tokensSent = i + 1;
            }
            out.write("data: {\"id\":\"chatcmpl-1\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n"
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
            ex.close();
        } catch (IOException e) {
            hungUp.countDown();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void models(HttpExchange ex) throws IOException {
        byte[] body = "{\"object\":\"list\",\"data\":[{\"id\":\"tiny\",\"object\":\"model\"}]}".getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(200, body.length);
        ex.getResponseBody().write(body);
        ex.close();
    }

    @Override
    public void close() {
        release.countDown();
        server.stop(0);
    }
}
