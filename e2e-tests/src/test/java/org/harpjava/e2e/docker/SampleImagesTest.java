package org.harpjava.e2e.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.harpjava.exapp.manifest.InfoXmlRoutes;
import org.harpjava.exapp.manifest.ManifestRoute;
import org.harpjava.exapp.testkit.TalkBotEvent;
import org.harpjava.exapp.testkit.TalkBotPost;
import org.harpjava.server.HarpServer;
import org.harpjava.server.testing.DockerDaemon;
import org.harpjava.server.testing.FakeNextcloud;
import org.harpjava.server.testing.Harp;
import org.harpjava.server.testing.Http;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The sample ExApps' images, built from their own {@code sample-exapps/<name>/Dockerfile} (on
 * {@link LocalJavaBase#buildJre}, given as the {@code BASE_IMAGE} build argument, since no registry is reachable)
 * and deployed as AppAPI deploys them: through harp-server's {@code /docker/exapp/*} operations, with AppAPI's
 * environment and the {@code nc_app_<id>_data} volume. Each answers AppAPI's signed heartbeat and a user's request
 * through {@code /exapps/<id>/...}, runs unprivileged, and keeps its data on the volume: the chat's conversations
 * survive a restart of the container and its replacement by a new one, as an update does. The chat runs with its
 * Talk bot against the SDK's fake Nextcloud, and answers a Talk event AppAPI forwards through harp-server.
 */
class SampleImagesTest {
    private static final String KEY = "samples-shared-key";
    private static final String SECRET = "samples-app-secret";
    private static final String COOKIE = "Cookie";
    private static final String ALICE_SESSION = "oc_sessionPassphrase=alice-session";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static DockerDaemon docker;
    private static FakeNextcloud nextcloud;
    private static HarpServer harp;
    private static String base;

    @BeforeAll
    static void start() throws IOException {
        docker = DockerDaemon.shared();
        base = LocalJavaBase.buildJre(docker);
        nextcloud = new FakeNextcloud(KEY).session("alice-session", "alice", 1);
        var env = Harp.nextcloud(nextcloud, KEY);
        env.put("HP_DOCKER_SOCKET", docker.socket().toString());
        harp = Harp.start(env);
    }

    @AfterAll
    static void stop() {
        if (docker != null) {
            for (String id : List.of("java_chat", "java_transcribe")) {
                docker.dockerOrNull("rm", "-f", "-v", "nc_app_" + id);
                docker.dockerOrNull("volume", "rm", "nc_app_" + id + "_data");
            }
        }
        if (harp != null) {
            harp.stop();
        }
        if (nextcloud != null) {
            nextcloud.close();
        }
    }

    @Test
    void chatKeepsConversationsOnTheVolumeAndAnswersInTalk() throws Exception {
        try (org.harpjava.exapp.testkit.FakeNextcloud appNextcloud =
                     org.harpjava.exapp.testkit.FakeNextcloud.start("java_chat", SECRET)) {
            // No engine: port 9 (discard) is closed here, so the bot must apologise.
            Sample chat = new Sample("chat", "java_chat", appNextcloud.url().toString(), "CHAT_TALK_BOT=true",
                    "CHAT_ENGINE_URL=http://127.0.0.1:9/v1", "CHAT_TIMEOUT_SECONDS=5");
            chat.build();
            chat.deploy();
            chat.checkUnprivileged();
            conversationsSurvive(chat);
            talkBotAnswers(chat, appNextcloud);
        }
    }

    private static void conversationsSurvive(Sample chat) {
        HttpResponse<String> created = chat.post("/api/conversations", "{\"title\":\"Kept on the volume\"}");
        assertEquals(201, created.statusCode(), created.body());
        long id = json(created).path("id").asLong();
        assertTrue(chat.volumeListing().contains("conversations"), chat.volumeListing());

        chat.op("stop");
        chat.op("start");
        chat.awaitHeartbeat();
        assertEquals(id, onlyConversation(chat), "after a restart");

        // An update replaces the container and keeps the volume.
        assertEquals(204, chat.op("remove", "{\"name\":\"java_chat\",\"remove_data\":false}").statusCode());
        chat.deploy();
        assertEquals(id, onlyConversation(chat), "in a new container on the same volume");
    }

    /**
     * AppAPI's talk proxy forwards Talk's event through harp-server, signed with AppAPI's headers, to the bot's path,
     * which no route of info.xml declares; without an engine, the bot replies with its apology, signed with the
     * secret AppAPI gave it (the fake accepts nothing else).
     */
    private static void talkBotAnswers(Sample chat, org.harpjava.exapp.testkit.FakeNextcloud appNextcloud) {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!appNextcloud.registered("talk_bot").containsKey("/talk_bot") && System.nanoTime() < end) {
            Sample.sleep();
        }
        assertTrue(appNextcloud.registered("talk_bot").containsKey("/talk_bot"),
                "registered when the app found itself enabled at start: " + docker.dockerOrNull("logs", chat.container));
        byte[] event = TalkBotEvent.message("users/alice", "Alice", 5, "@ChatBot are you there?", "room1", "Team")
                .body();
        HttpResponse<String> accepted = Http.send(chat.signed("/talk_bot")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(event)).build());
        assertEquals(202, accepted.statusCode(), accepted.body());
        TalkBotPost reply = appNextcloud.awaitTalkBotPost(p -> p.replyTo() == 5, Duration.ofSeconds(30));
        assertEquals("room1", reply.token());
        assertTrue(reply.message().startsWith("Sorry, I cannot answer right now"), reply.message());
    }

    @Test
    void transcribeServesItsPageAndUploadsToTheVolume() throws Exception {
        Sample transcribe = new Sample("transcribe", "java_transcribe", nextcloud.url());
        transcribe.build();
        transcribe.deploy();
        transcribe.checkUnprivileged();

        HttpResponse<String> page = transcribe.get("/");
        assertEquals(200, page.statusCode(), page.body());
        assertTrue(page.body().contains("transcribe.js"), page.body());
        assertEquals(403, Http.get(harp.port(), "/exapps/java_transcribe/").statusCode(), "USER route, anonymous");
        // An upload is kept in APP_PERSISTENT_STORAGE/tmp while it is checked and transcribed: not a WAV file
        // gets 415 (a storage it cannot write to would give 500).
        HttpResponse<String> upload = transcribe.post("/api/transcribe", "not a wav file");
        assertEquals(415, upload.statusCode(), upload.body());
        String listing = transcribe.volumeListing();
        assertTrue(listing.lines().anyMatch(l -> l.endsWith(" tmp") && l.contains(" 10001 ")), listing);
    }

    private static long onlyConversation(Sample chat) {
        HttpResponse<String> list = chat.get("/api/conversations");
        assertEquals(200, list.statusCode(), list.body());
        JsonNode conversations = json(list);
        assertEquals(1, conversations.size(), list.body());
        assertEquals("Kept on the volume", conversations.path(0).path("title").asText());
        return conversations.path(0).path("id").asLong();
    }

    private static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + response.statusCode() + " " + response.body(), e);
        }
    }

    /** A sample ExApp: its directory, image, container and port. */
    private static final class Sample {
        final String name;
        final String appId;
        final Path dir;
        final String image;
        final String container;
        final int port;
        final String nextcloudUrl;
        final List<String> extraEnv;

        Sample(String name, String appId, String nextcloudUrl, String... extraEnv) throws IOException {
            this.name = name;
            this.appId = appId;
            this.nextcloudUrl = nextcloudUrl;
            this.extraEnv = List.of(extraEnv);
            this.dir = LocalJavaBase.repository().resolve("sample-exapps").resolve(name);
            this.image = "harp-test/java-" + name + ":1";
            this.container = "nc_app_" + appId;
            try (ServerSocket free = new ServerSocket(0)) {
                this.port = free.getLocalPort();
            }
            StringBuilder routes = new StringBuilder("[");
            for (ManifestRoute r : InfoXmlRoutes.read(dir.resolve("appinfo/info.xml")).routes()) {
                routes.append(routes.length() > 1 ? "," : "").append(JSON.createObjectNode().put("url", r.url())
                        .put("verb", r.verbText()).put("access_level", r.access().ordinal()));
            }
            nextcloud.app(appId, SECRET, port, routes.append(']').toString());
        }

        /** {@code docker build} of the sample's directory with its own Dockerfile, only the base replaced. */
        void build() throws IOException {
            if (!Files.isRegularFile(dir.resolve("target/" + name + ".jar")) || !Files.isDirectory(dir.resolve("target/libs"))) {
                fail("sample-exapps/" + name + "/target has no " + name + ".jar and libs/: build the samples first "
                        + "(./harp build, or ./harp test)");
            }
            assertTrue(Files.readString(dir.resolve("Dockerfile")).contains("ARG BASE_IMAGE=eclipse-temurin:21-jre"),
                    "the public base stays the default");
            docker.docker("build", "-q", "--network", "none", "--build-arg", "BASE_IMAGE=" + base, "-t", image,
                    dir.toString());
        }

        /** Creates and starts the container as AppAPI does (a fresh volume unless one is left), and waits for it. */
        void deploy() {
            docker.dockerOrNull("rm", "-f", container);
            ObjectNode create = JSON.createObjectNode().put("name", appId).put("image_id", image)
                    .put("network_mode", "host").put("restart_policy", "no");
            ArrayNode env = create.putArray("environment_variables");
            for (String e : List.of("APP_ID=" + appId, "APP_SECRET=" + SECRET, "APP_VERSION=1.0.0",
                    "APP_DISPLAY_NAME=" + appId, "APP_HOST=127.0.0.1", "APP_PORT=" + port, "AA_VERSION=32",
                    "NEXTCLOUD_URL=" + nextcloudUrl, "APP_PERSISTENT_STORAGE=/nc_app_" + appId + "_data",
                    "COMPUTE_DEVICE=cpu")) {
                env.add(e);
            }
            extraEnv.forEach(env::add);
            HttpResponse<String> created = op("create", create.toString());
            assertEquals(201, created.statusCode(), created.body());
            op("start");
            awaitHeartbeat();
        }

        void checkUnprivileged() {
            assertEquals("10001:10001", docker.docker("inspect", "-f", "{{.Config.User}}", container));
            assertEquals("10001", docker.docker("exec", container, "id", "-u"));
        }

        /** {@code ls -ln} of the persistent storage, inside the container. */
        String volumeListing() {
            assertTrue(docker.docker("inspect", "-f", "{{range .Mounts}}{{.Type}} {{.Name}} {{.Destination}}{{end}}",
                    container).equals("volume " + container + "_data /nc_app_" + appId + "_data"), "the data volume is mounted");
            return docker.docker("exec", container, "ls", "-ln", "/nc_app_" + appId + "_data");
        }

        HttpResponse<String> op(String op) {
            HttpResponse<String> r = op(op, "{\"name\":\"" + appId + "\"}");
            assertTrue(r.statusCode() / 100 == 2, op + ": " + r.statusCode() + " " + r.body());
            return r;
        }

        HttpResponse<String> op(String op, String body) {
            return Http.send(Http.request(harp.port(), "/exapps/app_api/docker/exapp/" + op, "harp-shared-key", KEY,
                            "docker-engine-port", "24000", "Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build());
        }

        /** Polls AppAPI's heartbeat through harp-server until the app in the container answers it. */
        void awaitHeartbeat() {
            long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            HttpResponse<String> beat = null;
            while (System.nanoTime() < end) {
                beat = Http.send(signed("/heartbeat").GET().build());
                if (beat.statusCode() == 200) {
                    assertEquals("ok", json(beat).path("status").asText(), beat.body());
                    return;
                }
                sleep();
            }
            fail("no heartbeat from " + container + " (last: " + (beat == null ? "none" : beat.statusCode())
                    + ")\n" + docker.dockerOrNull("logs", container));
        }

        /** A request to the app through harp-server as AppAPI sends it: its headers and the shared key. */
        HttpRequest.Builder signed(String path) {
            return Http.request(harp.port(), "/exapps/" + appId + path,
                    "EX-APP-ID", appId, "EX-APP-VERSION", "1.2.3", "ex-app-host", "127.0.0.1",
                    "ex-app-port", Integer.toString(port), "AUTHORIZATION-APP-API",
                    Base64.getEncoder().encodeToString((":" + SECRET).getBytes(StandardCharsets.UTF_8)),
                    "harp-shared-key", KEY, "AA-VERSION", "32", "AA-REQUEST-ID", "samples");
        }

        HttpResponse<String> get(String path) {
            return Http.get(harp.port(), "/exapps/" + appId + path, COOKIE, ALICE_SESSION);
        }

        HttpResponse<String> post(String path, String json) {
            return Http.send(Http.request(harp.port(), "/exapps/" + appId + path, COOKIE, ALICE_SESSION,
                    "Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build());
        }

        private static void sleep() {
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
