package org.harpjava.e2e.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.harpjava.e2e.deployed.NotesExApp;
import org.harpjava.server.HarpServer;
import org.harpjava.server.testing.DockerDaemon;
import org.harpjava.server.testing.FakeNextcloud;
import org.harpjava.server.testing.Harp;
import org.harpjava.server.testing.Http;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * AppAPI's whole deployment of an SDK ExApp through harp-server, against a real Docker daemon: an image of
 * {@link NotesExApp} (its jar and dependency jars on {@link LocalJavaBase}) is created with host networking and
 * the ExApp environment, started and waited for; AppAPI's signed heartbeat and a logged-in user's call reach the
 * container through {@code /exapps/notes/...}; then it is stopped and removed with its data volume.
 */
class ExAppDeployTest {
    private static final String KEY = "deploy-shared-key";
    private static final String SECRET = "deploy-app-secret";
    private static final String IMAGE = "harp-test/notes:1";
    private static final String CONTAINER = "nc_app_notes";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static DockerDaemon docker;
    private static FakeNextcloud nextcloud;
    private static HarpServer harp;
    private static int appPort;

    @BeforeAll
    static void start() throws Exception {
        docker = DockerDaemon.shared();
        buildImage();
        try (ServerSocket free = new ServerSocket(0)) {
            appPort = free.getLocalPort();
        }
        nextcloud = new FakeNextcloud(KEY)
                .app("notes", SECRET, appPort, "[{\"url\":\"^/api/\",\"verb\":\"GET\",\"access_level\":1}]")
                .session("alice-session", "alice", 1);
        Map<String, String> env = Harp.nextcloud(nextcloud, KEY);
        env.put("HP_DOCKER_SOCKET", docker.socket().toString());
        harp = Harp.start(env);
    }

    @AfterAll
    static void stop() {
        if (docker != null) {
            docker.dockerOrNull("rm", "-f", "-v", CONTAINER);
            docker.dockerOrNull("volume", "rm", CONTAINER + "_data");
        }
        if (harp != null) {
            harp.stop();
        }
        if (nextcloud != null) {
            nextcloud.close();
        }
    }

    /** The ExApp's image: NotesExApp in notes.jar, the SDK and its dependencies in libs/, on the local base. */
    private static void buildImage() throws IOException, URISyntaxException {
        String base = LocalJavaBase.build(docker);
        Path context = Files.createTempDirectory(Path.of("/tmp"), "harp-exapp");
        try {
            Path libs = Files.createDirectories(context.resolve("app/libs"));
            List<String> classPath = new ArrayList<>();
            Set<String> names = new HashSet<>();
            for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
                Path path = Path.of(entry);
                if (entry.isBlank() || !Files.exists(path) || notForTheApp(path)) {
                    continue;
                }
                String name = Files.isDirectory(path) ? moduleName(path) + ".jar" : path.getFileName().toString();
                if (!names.add(name)) {
                    name = names.size() + "-" + name;
                    names.add(name);
                }
                if (Files.isDirectory(path)) {
                    jar(path, libs.resolve(name), "", null);
                } else {
                    Files.copy(path, libs.resolve(name));
                }
                classPath.add("libs/" + name);
            }
            assertTrue(classPath.stream().anyMatch(n -> n.contains("exapp-sdk")), "the SDK is on the class path: " + classPath);
            Path classes = Path.of(NotesExApp.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Manifest manifest = new Manifest();
            manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
            manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, NotesExApp.class.getName());
            manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, String.join(" ", classPath));
            jar(classes, context.resolve("app/notes.jar"), NotesExApp.class.getPackageName().replace('.', '/') + "/",
                    manifest);
            Files.writeString(context.resolve("Dockerfile"), """
                    FROM %s
                    COPY app/ /app/
                    WORKDIR /app
                    CMD ["java", "-XX:+UseSerialGC", "-Xmx96m", "-jar", "/app/notes.jar"]
                    """.formatted(base));
            docker.docker("build", "-q", "-t", IMAGE, context.toString());
        } finally {
            LocalJavaBase.run("rm", "-rf", context.toString());
        }
    }

    /** Test tooling and harp-server itself stay out of the ExApp's image. */
    private static boolean notForTheApp(Path path) {
        String p = path.toString().replace('\\', '/');
        return p.contains("/harp-server/") || p.contains("harp-server-") || p.contains("exapp-testkit")
                || p.contains("/e2e-tests/") || p.contains("junit") || p.contains("opentest4j")
                || p.contains("apiguardian") || p.contains("surefire");
    }

    /** {@code exapp-sdk} for {@code .../exapp-sdk/target/classes}. */
    private static String moduleName(Path classes) {
        Path module = classes.getParent() == null ? classes : classes.getParent().getParent();
        return module == null ? classes.getFileName().toString() : module.getFileName().toString();
    }

    /** Packs the files of {@code dir} under {@code prefix} into {@code jar}. */
    private static void jar(Path dir, Path jar, String prefix, Manifest manifest) throws IOException {
        try (OutputStream out = Files.newOutputStream(jar);
             JarOutputStream zip = manifest == null ? new JarOutputStream(out) : new JarOutputStream(out, manifest);
             Stream<Path> files = Files.walk(dir)) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                String name = dir.relativize(file).toString().replace(File.separatorChar, '/');
                if (name.startsWith(prefix) && !name.equals("META-INF/MANIFEST.MF")) {
                    zip.putNextEntry(new JarEntry(name));
                    Files.copy(file, zip);
                    zip.closeEntry();
                }
            }
        }
    }

    private static HttpResponse<String> op(String op, String body) {
        return Http.send(Http.request(harp.port(), "/exapps/app_api/docker/exapp/" + op, "harp-shared-key", KEY,
                        "docker-engine-port", "24000", "Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    /** {@code GET /exapps/notes/heartbeat} as AppAPI sends it: the signature headers and the shared key. */
    private static HttpResponse<String> heartbeat(String key) {
        return Http.send(Http.request(harp.port(), "/exapps/notes/heartbeat",
                "EX-APP-ID", "notes", "EX-APP-VERSION", "1.2.3", "ex-app-host", "127.0.0.1",
                "ex-app-port", Integer.toString(appPort),
                "AUTHORIZATION-APP-API", Base64.getEncoder().encodeToString((":" + SECRET).getBytes(StandardCharsets.UTF_8)),
                "harp-shared-key", key, "AA-VERSION", "4.1.0", "AA-REQUEST-ID", "deploy-1").GET().build());
    }

    private static JsonNode json(HttpResponse<String> res) {
        try {
            return JSON.readTree(res.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + res.statusCode() + " " + res.body(), e);
        }
    }

    @Test
    void deployReachStopAndRemove() throws Exception {
        docker.dockerOrNull("rm", "-f", "-v", CONTAINER);
        docker.dockerOrNull("volume", "rm", CONTAINER + "_data");
        String body = "{\"name\":\"notes\"}";
        ObjectNode create = JSON.createObjectNode().put("name", "notes").put("image_id", IMAGE)
                .put("network_mode", "host").put("restart_policy", "no");
        ArrayNode env = create.putArray("environment_variables");
        for (String e : List.of("APP_ID=notes", "APP_SECRET=" + SECRET, "APP_VERSION=1.2.3", "APP_HOST=127.0.0.1",
                "APP_PORT=" + appPort, "NEXTCLOUD_URL=" + nextcloud.url(), "APP_PERSISTENT_STORAGE=/nc_app_notes_data")) {
            env.add(e);
        }
        HttpResponse<String> created = op("create", create.toString());
        assertEquals(201, created.statusCode(), created.body());
        assertEquals(CONTAINER, json(created).get("name").asText());
        assertEquals(204, op("start", body).statusCode());
        JsonNode started = json(op("wait_for_start", body));
        assertTrue(started.get("started").asBoolean(), started.toString());
        assertEquals("running", started.get("status").asText());

        // AppAPI polls the heartbeat until the app inside has started.
        HttpResponse<String> beat = heartbeat(KEY);
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (beat.statusCode() != 200 && System.nanoTime() < end) {
            Thread.sleep(200);
            beat = heartbeat(KEY);
        }
        assertEquals(200, beat.statusCode(), beat.body() + "\n" + docker.dockerOrNull("logs", CONTAINER));
        assertEquals("ok", json(beat).get("status").asText(), beat.body());
        assertEquals(401, heartbeat("wrong-key").statusCode(), "a wrong shared key is refused by harp-server");

        HttpResponse<String> user = Http.get(harp.port(), "/exapps/notes/api/whoami",
                "Cookie", "oc_sessionPassphrase=alice-session");
        assertEquals(200, user.statusCode(), user.body());
        assertEquals("alice on /opt/jre", user.body(), "answered by the container's Java runtime");
        assertEquals(403, Http.get(harp.port(), "/exapps/notes/api/whoami").statusCode(), "USER route, anonymous");
        assertEquals(200, Http.get(harp.port(), "/exapps/app_api/v1.44/containers/" + CONTAINER + "/json",
                "harp-shared-key", KEY, "docker-engine-port", "24000").statusCode());

        assertEquals(204, op("stop", body).statusCode());
        assertEquals("false", docker.docker("inspect", "-f", "{{.State.Running}}", CONTAINER));
        assertFalse(heartbeat(KEY).statusCode() == 200, "the app is down");
        assertEquals(204, op("remove", "{\"name\":\"notes\",\"remove_data\":true}").statusCode());
        assertEquals("{\"exists\":false}", op("exists", body).body());
        assertEquals("", docker.docker("ps", "-a", "-q", "--filter", "name=^" + CONTAINER + "$"));
        assertEquals("", docker.docker("volume", "ls", "-q", "--filter", "name=^" + CONTAINER + "_data$"));
    }
}
