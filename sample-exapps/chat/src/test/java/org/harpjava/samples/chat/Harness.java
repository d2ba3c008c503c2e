package org.harpjava.samples.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.harpjava.exapp.manifest.InfoXmlRoutes;
import org.harpjava.exapp.manifest.ManifestRoute;
import org.harpjava.exapp.testkit.AppApiClient;
import org.harpjava.exapp.testkit.FakeNextcloud;
import org.harpjava.server.HarpServer;
import org.harpjava.server.config.ConfigLoader;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The chat app as it runs in production, on loopback: a fake Nextcloud (the SDK's test kit) for the app's calls to
 * Nextcloud, a fake OpenAI-compatible engine, and harp-server in dev mode in front, its routes taken from
 * {@code appinfo/info.xml}. Users {@code alice} and {@code bob} log in to harp-server with HTTP Basic.
 */
final class Harness implements AutoCloseable {
    static final String APP_ID = "java_chat";
    static final String SECRET = "chat-test-secret-0123456789";
    static final ObjectMapper JSON = new ObjectMapper();

    final Path storage;
    final FakeNextcloud nextcloud;
    final FakeEngine engine;
    final Map<String, String> extraEnv = new HashMap<>();
    /** Routes of {@code info.xml} (their {@code url}) that harp-server is not told about, as a proxy that lacks them. */
    final Set<String> hiddenRoutes = new HashSet<>();
    final HttpClient http = HttpClient.newHttpClient();
    ChatApp app;
    HarpServer harp;

    Harness(Path storage) throws IOException {
        this.storage = storage;
        this.nextcloud = FakeNextcloud.start(APP_ID, SECRET);
        this.engine = FakeEngine.start();
    }

    /** Starts the app (again) and harp-server in front of it. */
    Harness start() throws IOException {
        Map<String, String> env = new HashMap<>(nextcloud.environment("1.0.0", 0));
        env.put("APP_PERSISTENT_STORAGE", storage.toString());
        env.put("CHAT_ENGINE_URL", engine.url());
        env.put("CHAT_MODEL", "tiny");
        env.put("CHAT_TIMEOUT_SECONDS", "5");
        env.put("CHAT_TASK_POLL_SECONDS", "60");
        env.putAll(extraEnv);
        app = ChatApp.start(env);
        harp = HarpServer.start(ConfigLoader.load(Map.of(), Optional.of(harpConfig(app.exApp().port()))));
        return this;
    }

    /** Stops app and proxy, keeping the persistent storage, as a container restart does. */
    void stop() {
        if (harp != null) {
            harp.stop();
        }
        if (app != null) {
            app.close();
        }
    }

    @Override
    public void close() {
        stop();
        engine.close();
        nextcloud.close();
    }

    private Path harpConfig(int appPort) throws IOException {
        StringBuilder routes = new StringBuilder();
        for (ManifestRoute r : InfoXmlRoutes.read(Path.of("appinfo/info.xml")).routes()) {
            if (hiddenRoutes.contains(r.url())) {
                continue;
            }
            routes.append("          - url: '").append(r.url()).append("'\n")
                    .append("            verb: ").append(String.join(",", r.verbs())).append('\n')
                    .append("            access_level: ").append(r.access()).append('\n');
        }
        Path config = storage.resolve("harp.yaml");
        Files.writeString(config, """
                harp:
                  exapps-address: 127.0.0.1:0
                  management-address: "off"
                  dev:
                    exapps:
                      - id: %s
                        version: 1.0.0
                        secret: %s
                        host: 127.0.0.1
                        port: %d
                        routes:
                %s    users:
                      - name: alice
                        password: alice-pw
                        access_level: USER
                      - name: bob
                        password: bob-pw
                        access_level: USER
                """.formatted(APP_ID, SECRET, appPort, routes));
        return config;
    }

    // ---- users, through harp-server

    HttpRequest.Builder viaHarp(String user, String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + harp.port() + "/exapps/" + APP_ID + path))
                .timeout(Duration.ofSeconds(20));
        if (user != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString((user + ":" + user + "-pw").getBytes(StandardCharsets.UTF_8)));
        }
        return b;
    }

    HttpResponse<String> get(String user, String path) throws Exception {
        return http.send(viaHarp(user, path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String user, String path, String json) throws Exception {
        return http.send(viaHarp(user, path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body());
    }

    /** Starts a conversation of {@code user}; its id. */
    long newConversation(String user, String title) throws Exception {
        HttpResponse<String> r = post(user, "/api/conversations", "{\"title\":\"" + title + "\"}");
        if (r.statusCode() != 201) {
            throw new AssertionError("creating a conversation: " + r.statusCode() + " " + r.body());
        }
        return json(r).path("id").asLong();
    }

    // ---- AppAPI, straight to the app

    AppApiClient appApi() {
        return AppApiClient.builder(URI.create("http://127.0.0.1:" + app.exApp().port()), APP_ID, SECRET).build();
    }

    /** A WebSocket to the app, its handshake signed as HaRP signs it for {@code user} ("" for none). */
    Socket socket(String user) throws Exception {
        Socket socket = new Socket();
        socket.ws = http.newWebSocketBuilder()
                .header("EX-APP-ID", APP_ID).header("EX-APP-VERSION", "1.0.0").header("AA-VERSION", "32")
                .header("AUTHORIZATION-APP-API", Base64.getEncoder()
                        .encodeToString((user + ":" + SECRET).getBytes(StandardCharsets.UTF_8)))
                .buildAsync(URI.create("ws://127.0.0.1:" + app.exApp().port() + "/ws"), socket)
                .get(10, TimeUnit.SECONDS);
        return socket;
    }

    /** A test's end of the chat WebSocket: sends JSON text, queues what arrives. */
    static final class Socket implements WebSocket.Listener {
        final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
        final StringBuilder partial = new StringBuilder();
        volatile int closeCode = -1;
        WebSocket ws;

        void send(String json) {
            ws.sendText(json, true).join();
        }

        /** The next message, within 10 s. */
        JsonNode next() throws InterruptedException {
            JsonNode m = received.poll(10, TimeUnit.SECONDS);
            if (m == null) {
                throw new AssertionError("no WebSocket message within 10 s (close code " + closeCode + ")");
            }
            return m;
        }

        /** The next message that is not a token. */
        JsonNode nextNotToken() throws InterruptedException {
            JsonNode m;
            do {
                m = next();
            } while (m.path("type").asText().equals("token"));
            return m;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    received.add(JSON.readTree(partial.toString()));
                } catch (IOException e) {
                    throw new AssertionError("not JSON: " + partial, e);
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closeCode = statusCode;
            return null;
        }
    }
}
