package org.harpjava.samples.transcribe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.harpjava.exapp.ExApp;
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
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The app as it runs in production, on loopback: a fake Nextcloud (the SDK's test kit), a fake whisper-like engine,
 * and harp-server in dev mode in front, its routes taken from {@code appinfo/info.xml}. User {@code alice} logs in
 * to harp-server with HTTP Basic.
 */
final class Harness implements AutoCloseable {
    static final String APP_ID = "java_transcribe";
    static final String SECRET = "transcribe-test-secret-0123456789";
    static final ObjectMapper JSON = new ObjectMapper();

    final Path storage;
    final FakeNextcloud nextcloud;
    final FakeWhisper engine;
    final Map<String, String> extraEnv = new HashMap<>();
    final HttpClient http = HttpClient.newHttpClient();
    ExApp app;
    HarpServer harp;

    Harness(Path storage) throws IOException {
        this.storage = storage;
        this.nextcloud = FakeNextcloud.start(APP_ID, SECRET);
        this.engine = FakeWhisper.start();
    }

    Harness start() throws IOException {
        Map<String, String> env = new HashMap<>(nextcloud.environment("1.0.0", 0));
        env.put("APP_PERSISTENT_STORAGE", storage.toString());
        env.put("TRANSCRIBE_ENGINE_URL", engine.url());
        env.put("TRANSCRIBE_TIMEOUT_SECONDS", "5");
        env.put("TRANSCRIBE_TASK_POLL_SECONDS", "60");
        env.putAll(extraEnv);
        app = TranscribeApp.start(env);
        harp = HarpServer.start(ConfigLoader.load(Map.of(), Optional.of(harpConfig(storage, SECRET, app.port()))));
        return this;
    }

    @Override
    public void close() {
        if (harp != null) {
            harp.stop();
        }
        if (app != null) {
            app.close();
        }
        engine.close();
        nextcloud.close();
    }

    /**
     * Writes harp-server's dev-mode configuration into {@code dir}: the app with {@code secret} on {@code appPort},
     * its routes read from {@code appinfo/info.xml}, and user alice (password {@code alice-pw}).
     */
    static Path harpConfig(Path dir, String secret, int appPort) throws IOException {
        StringBuilder routes = new StringBuilder();
        for (ManifestRoute r : InfoXmlRoutes.read(Path.of("appinfo/info.xml")).routes()) {
            routes.append("          - url: '").append(r.url()).append("'\n")
                    .append("            verb: ").append(String.join(",", r.verbs())).append('\n')
                    .append("            access_level: ").append(r.access()).append('\n');
        }
        Path config = dir.resolve("harp.yaml");
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
                """.formatted(APP_ID, secret, appPort, routes));
        return config;
    }

    AppApiClient appApi() {
        return AppApiClient.builder(URI.create("http://127.0.0.1:" + app.port()), APP_ID, SECRET).build();
    }

    private String basic(String user) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + user + "-pw").getBytes(StandardCharsets.UTF_8));
    }

    HttpResponse<String> get(String user, String path) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + harp.port() + "/exapps/" + APP_ID + path))
                .timeout(Duration.ofSeconds(20));
        if (user != null) {
            b.header("Authorization", basic(user));
        }
        return http.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String user, String path, byte[] body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + harp.port() + "/exapps/" + APP_ID + path))
                .timeout(Duration.ofSeconds(20)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (user != null) {
            b.header("Authorization", basic(user));
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** What {@code GET /setup_checks} says about check {@code id}, as AppAPI asks. */
    JsonNode setupCheck(String id) {
        return appApi().get("/setup_checks").json().path(id);
    }

    /** A WebSocket to {@code path} of the app through harp-server, logged in as {@code user}. */
    Socket socket(String user, String path) throws Exception {
        Socket socket = new Socket();
        socket.ws = http.newWebSocketBuilder()
                .header("Authorization", basic(user))
                .buildAsync(URI.create("ws://127.0.0.1:" + harp.port() + "/exapps/" + APP_ID + path), socket)
                .get(10, TimeUnit.SECONDS);
        return socket;
    }

    /** A test's end of a WebSocket: sends text and binary, queues the JSON that arrives. */
    static final class Socket implements WebSocket.Listener {
        final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
        final StringBuilder partial = new StringBuilder();
        volatile int closeCode = -1;
        volatile String closeReason = "";
        WebSocket ws;

        void send(String json) {
            ws.sendText(json, true).join();
        }

        void send(byte[] pcm) {
            ws.sendBinary(ByteBuffer.wrap(pcm), true).join();
        }

        /** Sends {@code pcm} in pieces of {@code millis} of audio, as a browser does. */
        void stream(byte[] pcm, int millis) {
            int step = 32 * millis;
            for (int i = 0; i < pcm.length; i += step) {
                send(java.util.Arrays.copyOfRange(pcm, i, Math.min(pcm.length, i + step)));
            }
        }

        JsonNode next() throws InterruptedException {
            JsonNode m = received.poll(10, TimeUnit.SECONDS);
            if (m == null) {
                throw new AssertionError("no WebSocket message within 10 s (close code " + closeCode + ")");
            }
            return m;
        }

        /** The next message of type {@code type}, skipping others. */
        JsonNode next(String type) throws InterruptedException {
            JsonNode m;
            do {
                m = next();
            } while (!m.path("type").asText().equals(type));
            return m;
        }

        /** The next message that is not a {@code partial}. */
        JsonNode nextNotPartial() throws InterruptedException {
            JsonNode m;
            do {
                m = next();
            } while (m.path("type").asText().equals("partial"));
            return m;
        }

        /** Waits for the close; its code. */
        int awaitClose() throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (closeCode < 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            return closeCode;
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
            closeReason = reason;
            closeCode = statusCode;
            return null;
        }
    }
}
