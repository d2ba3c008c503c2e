package org.harpjava.server.dev;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.harpjava.server.HarpServer;
import org.harpjava.server.config.ConfigException;
import org.harpjava.server.config.ConfigLoader;
import org.harpjava.server.config.HarpConfig;
import org.harpjava.server.config.HostPort;
import org.harpjava.server.testing.Harp;
import org.harpjava.server.testing.Http;
import org.harpjava.server.testing.TestExApp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The standalone dev mode: without {@code NC_INSTANCE_URL} the proxy serves the ExApps and users of its
 * configuration (the embedded demo: app {@code hello} on 127.0.0.1:9000, users alice/alice and admin/admin),
 * authenticating callers with HTTP Basic.
 */
class DevModeTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<AutoCloseable> open = new ArrayList<>();

    @TempDir
    Path dir;

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private HarpServer harp(Map<String, String> env, Path file) {
        HarpServer server = Harp.start(env, file);
        open.add(server::stop);
        return server;
    }

    private static String[] basic(String user, String password) {
        return new String[] {"Authorization", "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8))};
    }

    /** The embedded demo configuration with the ExApp moved to {@code port}. */
    private Path demoOnPort(int port) throws IOException {
        String yaml;
        try (InputStream in = DevModeTest.class.getClassLoader().getResourceAsStream("harp-dev-demo.yaml")) {
            yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(yaml.contains("port: 9000"), "the demo declares port 9000");
        Path file = dir.resolve("demo.yaml");
        Files.writeString(file, yaml.replace("port: 9000", "port: " + port));
        return file;
    }

    @Test
    void withoutNextcloudTheEmbeddedDemoIsServedOnLoopback() {
        HarpConfig config = ConfigLoader.load(Map.of("HP_CERT_FILE", "/nonexistent/cert.pem"), Optional.empty());
        assertTrue(config.devMode());
        HarpConfig.Dev dev = config.dev().orElseThrow();
        assertTrue(dev.demo());
        assertEquals(new HostPort("127.0.0.1", 8780), config.exappsAddress(), "the demo listens on loopback only");
        assertEquals(1, dev.exapps().size());
        assertEquals("hello", dev.exapps().get(0).appId());
        assertEquals(9000, dev.exapps().get(0).port());
        assertEquals(List.of("alice:USER", "admin:ADMIN"),
                dev.users().stream().map(u -> u.name() + ":" + u.level()).toList());
        assertFalse(config.sharedKey().reveal().isEmpty(), "a random shared key");
        assertFalse(config.sharedKey().reveal().equals(ConfigLoader.load(Map.of(), Optional.empty()).sharedKey().reveal()));
    }

    @Test
    void embeddedDemoDecidesWithoutTheExApp() {
        HarpServer harp = harp(Map.of(), null);
        assertTrue(harp.config().dev().orElseThrow().demo());
        HttpResponse<String> anonymous = Http.get(harp.port(), "/exapps/hello/");
        assertEquals(401, anonymous.statusCode(), "USER route, anonymous: a login is asked for");
        assertEquals("Basic realm=\"harp-server dev mode\", charset=\"UTF-8\"",
                anonymous.headers().firstValue("www-authenticate").orElse(""), "so that a browser asks for it");
        HttpResponse<String> notAdmin = Http.get(harp.port(), "/exapps/hello/admin", basic("alice", "alice"));
        assertEquals(403, notAdmin.statusCode(), "logged in, but not an administrator");
        assertTrue(notAdmin.headers().firstValue("www-authenticate").isEmpty());
        assertEquals(401, Http.get(harp.port(), "/exapps/hello/", basic("alice", "wrong")).statusCode());
        assertEquals(404, Http.get(harp.port(), "/exapps/other/public").statusCode());
    }

    @Test
    void embeddedDemoServesAnExAppOnPort9000() throws Exception {
        TestExApp exapp;
        try {
            exapp = new TestExApp(9000);
        } catch (RuntimeException e) {
            assumeTrue(false, "port 9000 is in use here: " + e.getMessage());
            return;
        }
        open.add(exapp);
        HarpServer harp = harp(Map.of(), null);
        assertEquals(200, Http.get(harp.port(), "/exapps/hello/public").statusCode());
        assertEquals(200, Http.get(harp.port(), "/exapps/hello/", basic("alice", "alice")).statusCode());
        assertEquals(200, Http.get(harp.port(), "/exapps/hello/admin", basic("admin", "admin")).statusCode());
    }

    @Test
    void accessLevelsOfTheDemoAgainstARealExApp() throws Exception {
        TestExApp exapp = new TestExApp();
        open.add(exapp);
        HarpServer harp = harp(Map.of(), demoOnPort(exapp.port()));
        String[][] callers = {{}, basic("alice", "alice"), basic("admin", "admin")};
        int[][] expected = {
                // anonymous, alice, admin
                {200, 200, 200}, // /public
                {401, 200, 200}, // /echo (USER, the catch-all route)
                {401, 403, 200}, // /admin
        };
        String[] paths = {"/public", "/echo", "/admin"};
        for (int p = 0; p < paths.length; p++) {
            for (int c = 0; c < callers.length; c++) {
                HttpResponse<String> res = Http.get(harp.port(), "/exapps/hello" + paths[p], callers[c]);
                assertEquals(expected[p][c], res.statusCode(), paths[p] + " as caller " + c + ": " + res.body());
            }
        }
        JsonNode echo = JSON.readTree(Http.get(harp.port(), "/exapps/hello/echo", basic("alice", "alice")).body());
        assertEquals(Base64.getEncoder().encodeToString("alice:dev-only-secret".getBytes(StandardCharsets.UTF_8)),
                echo.get("headers").get("authorization-app-api").get(0).asText());
        assertEquals("hello", echo.get("headers").get("ex-app-id").get(0).asText());
        assertEquals("1.0.0", echo.get("headers").get("ex-app-version").get(0).asText());
    }

    @Test
    void wrongPasswordsAreRefusedAndEventuallyBanned() throws Exception {
        TestExApp exapp = new TestExApp();
        open.add(exapp);
        HarpServer harp = harp(Map.of("HP_BLACKLIST_COUNT", "3"), demoOnPort(exapp.port()));
        for (int i = 0; i < 5; i++) {
            assertEquals(401, Http.get(harp.port(), "/exapps/hello/echo").statusCode(),
                    "a first visit without a login is asked for one, and is no failure");
        }
        for (String[] wrong : new String[][] {basic("alice", "ALICE"), basic("alice", ""), basic("mallory", "alice")}) {
            HttpResponse<String> res = Http.get(harp.port(), "/exapps/hello/echo", wrong);
            assertEquals(401, res.statusCode(), res.body());
        }
        assertEquals(0, exapp.requests(), "nothing reached the ExApp");
        HttpResponse<String> banned = Http.get(harp.port(), "/exapps/hello/echo", basic("alice", "alice"));
        assertEquals(429, banned.statusCode(), "three failures ban the address, even with the right password now");
        assertTrue(banned.headers().firstValue("retry-after").isPresent());
    }

    @Test
    void devSectionWithOwnAppsAndUsers() throws Exception {
        TestExApp exapp = new TestExApp();
        open.add(exapp);
        Path file = dir.resolve("dev.yaml");
        Files.writeString(file, """
                harp:
                  dev:
                    exapps:
                      - id: Notes
                        secret: notes-secret
                        version: 3.1.4
                        port: %d
                        routes:
                          - url: "^/echo"
                            access_level: USER
                    users:
                      - name: carol
                        password: "c:a:r:o:l"
                        access_level: ADMIN
                """.formatted(exapp.port()));
        HarpServer harp = harp(Map.of(), file);
        assertFalse(harp.config().dev().orElseThrow().demo());
        assertEquals(401, Http.get(harp.port(), "/exapps/notes/echo").statusCode());
        HttpResponse<String> res = Http.get(harp.port(), "/exapps/Notes/echo", basic("carol", "c:a:r:o:l"));
        assertEquals(200, res.statusCode(), res.body());
        JsonNode headers = JSON.readTree(res.body()).get("headers");
        assertEquals("Notes", headers.get("ex-app-id").get(0).asText(), "the id as the client wrote it");
        assertEquals("3.1.4", headers.get("ex-app-version").get(0).asText());
        assertEquals(404, Http.get(harp.port(), "/exapps/notes/other", basic("carol", "c:a:r:o:l")).statusCode());
        assertEquals(404, Http.get(harp.port(), "/exapps/hello/public").statusCode(), "no demo app besides");
    }

    @Test
    void devModeAndNextcloudExcludeEachOther() throws Exception {
        Path file = dir.resolve("both.yaml");
        Files.writeString(file, "harp:\n  dev:\n    exapps: []\n");
        ConfigException both = assertThrows(ConfigException.class, () -> ConfigLoader.load(
                Map.of("NC_INSTANCE_URL", "http://nc.example", "HP_SHARED_KEY", "k"), Optional.of(file)));
        assertTrue(both.getMessage().contains("NC_INSTANCE_URL"), both.getMessage());
        ConfigException keyOnly = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(Map.of("HP_SHARED_KEY", "k"), Optional.empty()));
        assertTrue(keyOnly.getMessage().contains("NC_INSTANCE_URL"), keyOnly.getMessage());
    }

    @Test
    void invalidDevUsersAreRejected() throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "harp:\n  dev:\n    users:\n      - name: eve\n        password: x\n        access_level: PUBLIC\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(Map.of(), Optional.of(file)));
        assertTrue(e.getMessage().startsWith("harp.dev.users[0]"), e.getMessage());
    }
}
