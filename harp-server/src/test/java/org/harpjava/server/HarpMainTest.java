package org.harpjava.server;

import org.harpjava.server.config.HarpConfig;
import org.harpjava.server.testing.FakeNextcloud;
import org.harpjava.server.testing.Http;
import org.harpjava.server.testing.TestExApp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Start-up from the command line and the environment: configuration errors stop it with one clear line that never
 * shows the shared key; quotes are stripped as HaRP's start script does; the key may come from a file; the
 * environment wins over the YAML file named by {@code --config}.
 */
class HarpMainTest {
    private static final String SECRET = "Top-Secret-Key-4711";

    @TempDir
    Path dir;

    private TestExApp exapp;
    private FakeNextcloud nextcloud;
    private final List<HarpServer> servers = new ArrayList<>();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void start() throws IOException {
        exapp = new TestExApp();
        nextcloud = new FakeNextcloud(SECRET).app("app", "s", exapp.port(), "[{\"url\":\"^/\",\"access_level\":0}]");
    }

    @AfterEach
    void stop() {
        servers.forEach(HarpServer::stop);
        nextcloud.close();
        exapp.close();
    }

    /** A valid environment: this Nextcloud, the key, listeners on free loopback ports, no HTTPS. */
    private Map<String, String> env(String... more) {
        Map<String, String> env = new HashMap<>();
        env.put("NC_INSTANCE_URL", nextcloud.url());
        env.put("HP_SHARED_KEY", SECRET);
        env.put("HP_EXAPPS_ADDRESS", "127.0.0.1:0");
        env.put("HP_MANAGEMENT_ADDRESS", "off");
        env.put("HP_CERT_FILE", dir.resolve("no-cert.pem").toString());
        for (int i = 0; i < more.length; i += 2) {
            if (more[i + 1] == null) {
                env.remove(more[i]);
            } else {
                env.put(more[i], more[i + 1]);
            }
        }
        return env;
    }

    private HarpMain.Launch launch(Map<String, String> env, String... args) {
        out.reset();
        err.reset();
        HarpMain.Launch launch = HarpMain.launch(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), c -> { });
        if (launch.server() != null) {
            servers.add(launch.server());
        }
        return launch;
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    /** Asserts start-up stopped with {@code status} and exactly one line on standard error, which it returns. */
    private String refused(HarpMain.Launch launch, int status) {
        assertNull(launch.server(), "no server started");
        assertEquals(status, launch.exitStatus());
        assertEquals("", out());
        String e = err();
        assertTrue(e.endsWith("\n") && e.indexOf('\n') == e.length() - 1, "one line: " + e);
        assertFalse(e.contains(SECRET), "the shared key is never printed: " + e);
        return e.strip();
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "HP_TIMEOUT_SERVER|half an hour", "HP_TIMEOUT_CONNECT|0", "HP_TIMEOUT_CLIENT|-5s", "HP_TIMEOUT_TUNNEL|forever",
            "HP_SESSION_LIFETIME|11", "HP_SESSION_LIFETIME|three", "HP_EXAPPS_ADDRESS|nowhere",
            "HP_EXAPPS_ADDRESS|127.0.0.1:99999", "HP_EXAPPS_HTTPS_ADDRESS|:x", "HP_MANAGEMENT_ADDRESS|a:b:c",
            "NC_INSTANCE_URL|ftp://nextcloud.example", "NC_INSTANCE_URL|nextcloud.example", "HP_LOG_LEVEL|loud",
            "HP_BLACKLIST_COUNT|-1", "HP_BLACKLIST_WINDOW|5 minutes", "HP_TRUSTED_PROXY_IPS|10.0.0.0/8,not-an-ip",
            "HP_UPSTREAM_POOL_SIZE|many", "HP_MAX_CONNECTIONS|0", "HP_EXAPP_CACHE_TTL|0s", "HP_SHARED_KEY_FILE|/nonexistent/key"})
    void invalidValuesStopStartUpNamingTheVariable(String variable, String value) throws IOException {
        // The HTTPS address is only read when the certificate file exists.
        Path cert = Files.writeString(dir.resolve("cert.pem"), "not used\n");
        String line = refused(launch(env(variable, value, "HP_CERT_FILE", cert.toString())), 2);
        assertTrue(line.startsWith("harp-server: invalid configuration: "), line);
        assertTrue(line.contains(variable), "names " + variable + ": " + line);
    }

    @Test
    void theSharedKeyIsNeverPrinted() throws IOException {
        String nonPrintable = SECRET + "\u0007";
        assertTrue(refused(launch(env("HP_SHARED_KEY", nonPrintable)), 2).contains("HP_SHARED_KEY"));
        assertFalse(err().contains(nonPrintable));

        String mistaken = refused(launch(env("NC_INSTANCE_URL", SECRET)), 2);
        assertTrue(mistaken.contains("NC_INSTANCE_URL"), mistaken);

        assertTrue(refused(launch(env("HP_TRUSTED_PROXY_IPS", SECRET)), 2).contains("HP_TRUSTED_PROXY_IPS"));

        Path keyFile = Files.writeString(dir.resolve("key"), SECRET);
        assertTrue(refused(launch(env("HP_SHARED_KEY_FILE", keyFile.toString())), 2).contains("only one"));

        Path yaml = Files.writeString(dir.resolve("broken.yaml"), "harp:\n  shared-key: \"" + SECRET + "\n  log-level: [\n");
        String broken = refused(launch(env("HP_SHARED_KEY", null), "--config", yaml.toString()), 2);
        assertTrue(broken.contains("HP_CONFIG_FILE"), broken);

        HarpMain.Launch ok = launch(env());
        assertNotNull(ok.server());
        assertFalse(out().contains(SECRET) || err().contains(SECRET), out() + err());
    }

    @Test
    void startsAndSaysWhereItListens() {
        HarpMain.Launch launch = launch(env());
        HarpServer server = launch.server();
        assertNotNull(server, err());
        assertEquals("", err());
        assertTrue(out().contains("listening on http://127.0.0.1:" + server.port()), out());
        assertTrue(out().contains("Nextcloud " + nextcloud.url()), out());
        assertEquals(200, Http.get(server.port(), "/exapps/app/page").statusCode());
    }

    @Test
    void quotesAreStrippedAsHaRPDoes() {
        HarpMain.Launch launch = launch(env(
                "HP_SHARED_KEY", "\"" + SECRET + "\"",
                "NC_INSTANCE_URL", "'" + nextcloud.url() + "/index.php/'",
                "HP_EXAPPS_ADDRESS", "\"127.0.0.1:0'"));
        HarpServer server = launch.server();
        assertNotNull(server, err());
        assertEquals(SECRET, server.config().sharedKey().reveal());
        assertEquals(URI.create(nextcloud.url()), server.config().nextcloudUrl().orElseThrow());
        assertEquals("127.0.0.1", server.config().exappsAddress().host());
        assertEquals(200, Http.get(server.port(), "/exapps/app/page").statusCode(), "the stripped key works with Nextcloud");
    }

    @Test
    void sharedKeyFromAFile() throws IOException {
        Path keyFile = Files.writeString(dir.resolve("shared-key"), SECRET + "\n");
        HarpMain.Launch launch = launch(env("HP_SHARED_KEY", null, "HP_SHARED_KEY_FILE", keyFile.toString()));
        assertNotNull(launch.server(), err());
        assertEquals(SECRET, launch.server().config().sharedKey().reveal(), "the trailing newline is not part of the key");
        assertEquals(200, Http.get(launch.server().port(), "/exapps/app/page").statusCode());

        Path empty = Files.writeString(dir.resolve("empty"), "\n");
        assertTrue(refused(launch(env("HP_SHARED_KEY", null, "HP_SHARED_KEY_FILE", empty.toString())), 2)
                .contains("HP_SHARED_KEY_FILE"));
        assertTrue(refused(launch(env("HP_SHARED_KEY", null)), 2).contains("HP_SHARED_KEY"),
                "a Nextcloud needs a key");
    }

    @Test
    void environmentWinsOverTheConfigFile() throws IOException {
        Path yaml = Files.writeString(dir.resolve("harp.yaml"), """
                harp:
                  nextcloud-url: "http://127.0.0.1:1"
                  timeout-server: 10s
                  session-lifetime: 2
                  blacklist-count: 7
                  trusted-proxy-ips: [10.0.0.0/8, 192.168.1.1]
                """);
        HarpMain.Launch launch = launch(env("HP_TIMEOUT_SERVER", "20s"), "--config", yaml.toString());
        HarpConfig config = launch.server().config();
        assertEquals(URI.create(nextcloud.url()), config.nextcloudUrl().orElseThrow(), "NC_INSTANCE_URL wins");
        assertEquals(Duration.ofSeconds(20), config.timeouts().server(), "HP_TIMEOUT_SERVER wins");
        assertEquals(Duration.ofSeconds(2), config.sessionLifetime(), "the file fills what the environment leaves");
        assertEquals(7, config.blacklistCount());
        assertTrue(config.trustedProxies().trusts(InetAddress.getByName("10.1.2.3")));
        assertFalse(config.trustedProxies().trusts(InetAddress.getByName("192.168.1.2")));
    }

    @Test
    void configFileFromTheOptionOrTheEnvironment() throws IOException {
        Path yaml = Files.writeString(dir.resolve("only.yaml"), "harp:\n  nextcloud-url: " + nextcloud.url()
                + "\n  shared-key: " + SECRET + "\n  blacklist-count: 3\n");
        Map<String, String> bare = env("NC_INSTANCE_URL", null, "HP_SHARED_KEY", null);
        assertEquals(3, launch(bare, "--config", yaml.toString()).server().config().blacklistCount());
        Map<String, String> viaEnv = new HashMap<>(bare);
        viaEnv.put("HP_CONFIG_FILE", yaml.toString());
        assertEquals(3, launch(viaEnv).server().config().blacklistCount());
        assertTrue(refused(launch(bare, "--config", dir.resolve("missing.yaml").toString()), 2).contains("cannot read"));
    }

    @Test
    void commandLineMistakes() {
        assertTrue(refused(launch(env(), "--config"), 2).contains("--config needs a file"));
        assertTrue(refused(launch(env(), "--port", "1"), 2).contains("unknown argument --port"));
        HarpMain.Launch help = launch(env(), "--help");
        assertNull(help.server());
        assertEquals(0, help.exitStatus());
        assertTrue(out().startsWith("usage: harp-server"), out());
    }

    @Test
    void anUnusableCertificateFileStopsStartUp() throws IOException {
        Path cert = Files.writeString(dir.resolve("cert.pem"), "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
        String line = refused(launch(env("HP_CERT_FILE", cert.toString(), "HP_EXAPPS_HTTPS_ADDRESS", "127.0.0.1:0")), 2);
        assertTrue(line.startsWith("harp-server: invalid configuration: HP_CERT_FILE"), line);
    }

    @Test
    void aListenerThatCannotOpenStopsStartUp() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String line = refused(launch(env("HP_EXAPPS_ADDRESS", "127.0.0.1:" + taken.getLocalPort())), 1);
            assertTrue(line.startsWith("harp-server: cannot start: ") && line.contains(":" + taken.getLocalPort()), line);
        }
    }

    /** The real entry point in a child JVM: exit status and output as an operator sees them. */
    @Test
    void mainInAChildJvm() throws Exception {
        Process bad = childJvm(Map.of("NC_INSTANCE_URL", "http://127.0.0.1:1", "HP_SHARED_KEY", SECRET,
                "HP_TIMEOUT_SERVER", "soon"));
        assertTrue(bad.waitFor(60, TimeUnit.SECONDS));
        String stderr = new String(bad.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        String stdout = new String(bad.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(2, bad.exitValue(), stderr);
        assertEquals("", stdout);
        assertTrue(stderr.lines().anyMatch(l -> l.startsWith("harp-server: invalid configuration: HP_TIMEOUT_SERVER")), stderr);
        assertEquals(1, stderr.lines().filter(l -> l.startsWith("harp-server")).count(), stderr);
        assertFalse(stderr.contains(SECRET));

        Process good = childJvm(Map.of("NC_INSTANCE_URL", nextcloud.url(), "HP_SHARED_KEY", SECRET,
                "HP_EXAPPS_ADDRESS", "127.0.0.1:0", "HP_MANAGEMENT_ADDRESS", "off",
                "HP_CERT_FILE", dir.resolve("no-cert.pem").toString()));
        try {
            String first = new java.io.BufferedReader(new java.io.InputStreamReader(good.getInputStream(),
                    StandardCharsets.UTF_8)).readLine();
            assertNotNull(first, "the child printed where it listens");
            assertTrue(first.startsWith("harp-server ") && first.contains("listening on http://127.0.0.1:"), first);
            int port = Integer.parseInt(first.replaceAll(".*listening on http://127\\.0\\.0\\.1:(\\d+).*", "$1"));
            assertEquals(200, Http.get(port, "/exapps/app/page").statusCode());
        } finally {
            good.destroy();
            assertTrue(good.waitFor(30, TimeUnit.SECONDS), "SIGTERM stops it");
        }
    }

    private static Process childJvm(Map<String, String> env) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-cp", System.getProperty("java.class.path"), HarpMain.class.getName());
        pb.environment().clear();
        pb.environment().putAll(env);
        return pb.start();
    }
}
