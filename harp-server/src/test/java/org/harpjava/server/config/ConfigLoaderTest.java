package org.harpjava.server.config;

import org.harpjava.server.decision.AccessLevel;
import org.harpjava.server.decision.ExAppMeta;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigLoaderTest {
    private static final String KEY = "Sup3r-Secret_Key.42";

    @TempDir
    Path dir;

    /** A Nextcloud-mode environment; {@code kv} adds or (with a null value) removes variables. */
    private Map<String, String> env(String... kv) {
        Map<String, String> env = new HashMap<>();
        env.put("NC_INSTANCE_URL", "https://cloud.example.com");
        env.put("HP_SHARED_KEY", KEY);
        env.put("HP_CERT_FILE", dir.resolve("absent-cert.pem").toString());
        for (int i = 0; i < kv.length; i += 2) {
            if (kv[i + 1] == null) {
                env.remove(kv[i]);
            } else {
                env.put(kv[i], kv[i + 1]);
            }
        }
        return env;
    }

    private static HarpConfig load(Map<String, String> env) {
        return ConfigLoader.load(env, Optional.empty());
    }

    private HarpConfig load(Map<String, String> env, String yaml) throws IOException {
        Path file = dir.resolve("harp.yaml");
        Files.writeString(file, yaml);
        return ConfigLoader.load(env, Optional.of(file));
    }

    /** Asserts that loading fails with a message that starts with {@code prefix} and never holds the key. */
    private static ConfigException fails(Map<String, String> env, String prefix) {
        ConfigException e = assertThrows(ConfigException.class, () -> load(env));
        assertTrue(e.getMessage().startsWith(prefix), () -> "message should start with " + prefix + ": " + e.getMessage());
        assertNoSecret(e);
        return e;
    }

    private static void assertNoSecret(ConfigException e) {
        assertFalse(e.getMessage().contains(KEY), () -> "message leaks the key: " + e.getMessage());
        assertFalse(e.getMessage().contains("\n"), () -> "message is not one line: " + e.getMessage());
    }

    // ---- defaults -------------------------------------------------------------------------------------------

    @Test
    void defaultsAreHarps() {
        HarpConfig c = load(env());
        assertFalse(c.devMode());
        assertEquals(Optional.of(URI.create("https://cloud.example.com")), c.nextcloudUrl());
        assertTrue(c.sharedKey().matches(KEY));
        assertEquals(new HostPort("0.0.0.0", 8780), c.exappsAddress());
        assertEquals(Optional.empty(), c.httpsAddress(), "no HTTPS listener without the certificate");
        assertEquals(Optional.of(new HostPort("127.0.0.1", 8790)), c.management());
        assertTrue(c.trustedProxies().isEmpty());
        assertEquals(Level.WARNING, c.logLevel());
        assertEquals(Duration.ofSeconds(3), c.sessionLifetime());
        assertEquals(10, c.blacklistCount());
        assertEquals(Duration.ofSeconds(300), c.blacklistWindow());
        assertEquals(new HarpConfig.Timeouts(Duration.ofSeconds(30), Duration.ofSeconds(30),
                Duration.ofSeconds(1800), Duration.ofSeconds(1800)), c.timeouts());
        HarpConfig.Limits l = c.limits();
        assertEquals(Duration.ofSeconds(60), l.exappCacheTtl());
        assertEquals(1000, l.exappCacheSize());
        assertEquals(Duration.ofSeconds(15), l.negativeCacheTtl());
        assertEquals(10_000, l.sessionCacheSize());
        assertEquals(100_000, l.blacklistTableSize());
        assertEquals(8192, l.maxConnections());
        assertEquals(64, l.upstreamPoolSize());
    }

    @Test
    void defaultCertificatePathIsHarps() {
        Map<String, String> env = env("HP_CERT_FILE", null);
        assertEquals(Path.of("/certs/cert.pem"), load(env).certFile());
    }

    @Test
    void toStringNeverShowsTheKey() {
        assertFalse(load(env()).toString().contains(KEY));
    }

    // ---- quotes (start.sh strips one leading and one trailing quote, PR #83) --------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"\"" + KEY + "\"", "'" + KEY + "'", "\"" + KEY + "'", "'" + KEY, KEY + "\""})
    void stripsOneQuoteFromEachEndOfTheSharedKey(String raw) {
        HarpConfig c = load(env("HP_SHARED_KEY", raw));
        assertTrue(c.sharedKey().matches(KEY));
        assertFalse(c.sharedKey().matches(raw));
    }

    @Test
    void stripsOnlyOneQuoteFromEachEnd() {
        HarpConfig c = load(env("HP_SHARED_KEY", "\"\"" + KEY + "''"));
        assertTrue(c.sharedKey().matches("\"" + KEY + "'"));
    }

    @Test
    void keepsQuotesInsideTheKey() {
        HarpConfig c = load(env("HP_SHARED_KEY", "ab'c\"d"));
        assertTrue(c.sharedKey().matches("ab'c\"d"));
    }

    @Test
    void stripsQuotesFromTheNextcloudUrl() {
        assertEquals(Optional.of(URI.create("https://nc.example.org/sub")),
                load(env("NC_INSTANCE_URL", "\"https://nc.example.org/sub/\"")).nextcloudUrl());
        assertEquals(Optional.of(URI.create("http://nc")), load(env("NC_INSTANCE_URL", "'http://nc'")).nextcloudUrl());
    }

    @Test
    void stripsQuotesFromListenAddresses() throws IOException {
        Path cert = Files.writeString(dir.resolve("cert.pem"), "x");
        HarpConfig c = load(env("HP_EXAPPS_ADDRESS", "\"127.0.0.1:9780\"",
                "HP_EXAPPS_HTTPS_ADDRESS", "'[::1]:9781'", "HP_CERT_FILE", cert.toString()));
        assertEquals(new HostPort("127.0.0.1", 9780), c.exappsAddress());
        assertEquals(Optional.of(new HostPort("::1", 9781)), c.httpsAddress());
    }

    @Test
    void stripsQuotesFromTrustedProxies() throws Exception {
        // HaRP #108: a quoted list silently disabled X-Forwarded-For handling.
        HarpConfig c = load(env("HP_TRUSTED_PROXY_IPS", "\"10.0.0.0/8, \u201C172.16.0.1\u201D\""));
        assertTrue(c.trustedProxies().trusts(InetAddress.getByName("10.1.2.3")));
        assertTrue(c.trustedProxies().trusts(InetAddress.getByName("172.16.0.1")));
        assertEquals(2, c.trustedProxies().blocks().size());
    }

    @Test
    void quotedEmptyValueMeansDefault() {
        HarpConfig c = load(env("HP_TRUSTED_PROXY_IPS", "\"\"", "HP_EXAPPS_ADDRESS", "''", "HP_LOG_LEVEL", "\"\""));
        assertTrue(c.trustedProxies().isEmpty());
        assertEquals(new HostPort("0.0.0.0", 8780), c.exappsAddress());
        assertEquals(Level.WARNING, c.logLevel());
    }

    // ---- the shared key -------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"ab\tcd", "abc\u00e9", "abc\u007f", "ab\ncd", "\u201Cabc\u201D"})
    void sharedKeyMustBePrintableAscii(String raw) {
        ConfigException e = assertThrows(ConfigException.class, () -> load(env("HP_SHARED_KEY", raw)));
        assertTrue(e.getMessage().startsWith("HP_SHARED_KEY "), e.getMessage());
        assertFalse(e.getMessage().contains(raw.strip()), e.getMessage());
    }

    @Test
    void sharedKeyMayHoldSpacesAndPunctuation() {
        String key = "a b!#$%&()*+,-./:;<=>?@[]^_`{|}~z";
        assertTrue(load(env("HP_SHARED_KEY", key)).sharedKey().matches(key));
    }

    @Test
    void sharedKeyFromFile() throws IOException {
        Path file = Files.writeString(dir.resolve("key"), KEY + "\n");
        HarpConfig c = load(env("HP_SHARED_KEY", null, "HP_SHARED_KEY_FILE", file.toString()));
        assertTrue(c.sharedKey().matches(KEY));
    }

    @Test
    void sharedKeyFilePathMayBeQuoted() throws IOException {
        Path file = Files.writeString(dir.resolve("key"), KEY);
        HarpConfig c = load(env("HP_SHARED_KEY", null, "HP_SHARED_KEY_FILE", "\"" + file + "\""));
        assertTrue(c.sharedKey().matches(KEY));
    }

    @Test
    void sharedKeyAndFileAreExclusive() throws IOException {
        Path file = Files.writeString(dir.resolve("key"), KEY);
        ConfigException e = fails(env("HP_SHARED_KEY_FILE", file.toString()), "set only one of");
        assertTrue(e.getMessage().contains("HP_SHARED_KEY") && e.getMessage().contains("HP_SHARED_KEY_FILE"));
    }

    @Test
    void unreadableKeyFileIsNamed() {
        fails(env("HP_SHARED_KEY", null, "HP_SHARED_KEY_FILE", dir.resolve("missing").toString()),
                "HP_SHARED_KEY_FILE (harp.shared-key-file): cannot read");
    }

    @Test
    void keyFileThatIsADirectoryIsNamed() {
        fails(env("HP_SHARED_KEY", null, "HP_SHARED_KEY_FILE", dir.toString()), "HP_SHARED_KEY_FILE ");
    }

    @Test
    void emptyKeyFileIsRefused() throws IOException {
        Path file = Files.writeString(dir.resolve("key"), "\n");
        fails(env("HP_SHARED_KEY", null, "HP_SHARED_KEY_FILE", file.toString()),
                "HP_SHARED_KEY_FILE (harp.shared-key-file): the file is empty");
    }

    @Test
    void keyFileWithControlCharactersIsRefusedWithoutShowingIt() throws IOException {
        Path file = Files.writeString(dir.resolve("key"), KEY + "\u0001x", StandardCharsets.UTF_8);
        fails(env("HP_SHARED_KEY", null, "HP_SHARED_KEY_FILE", file.toString()), "the shared key must contain");
    }

    @Test
    void nextcloudWithoutKeyIsRefused() {
        ConfigException e = fails(env("HP_SHARED_KEY", null), "HP_SHARED_KEY or HP_SHARED_KEY_FILE is required");
        assertNoSecret(e);
    }

    @Test
    void blankKeyCountsAsMissing() {
        fails(env("HP_SHARED_KEY", "  "), "HP_SHARED_KEY or HP_SHARED_KEY_FILE is required");
        fails(env("HP_SHARED_KEY", "\"\""), "HP_SHARED_KEY or HP_SHARED_KEY_FILE is required");
    }

    @Test
    void keyWithoutNextcloudIsRefused() {
        fails(env("NC_INSTANCE_URL", null), "NC_INSTANCE_URL (harp.nextcloud-url) is required");
    }

    // ---- NC_INSTANCE_URL ------------------------------------------------------------------------------------

    @ParameterizedTest
    @CsvSource({
            "https://cloud.example.com/, https://cloud.example.com",
            "https://cloud.example.com//, https://cloud.example.com",
            "https://cloud.example.com/index.php, https://cloud.example.com",
            "https://cloud.example.com/index.php/, https://cloud.example.com",
            "https://example.com/nextcloud/, https://example.com/nextcloud",
            "https://example.com/nextcloud/index.php, https://example.com/nextcloud",
            "http://nextcloud:8080, http://nextcloud:8080",
            "http://[fd00::5]:80/, http://[fd00::5]:80",
            "HTTPS://Cloud.Example.com, HTTPS://Cloud.Example.com",
    })
    void nextcloudUrlLosesTrailingSlashAndIndexPhp(String raw, String expected) {
        assertEquals(Optional.of(URI.create(expected)), load(env("NC_INSTANCE_URL", raw)).nextcloudUrl());
    }

    @ParameterizedTest
    @ValueSource(strings = {"cloud.example.com", "ftp://cloud.example.com", "https://", "https://cloud/?x=1",
            "https://cloud/#top", "https://clo ud/", "/nextcloud"})
    void nextcloudUrlMustBeHttp(String raw) {
        ConfigException e = fails(env("NC_INSTANCE_URL", raw), "NC_INSTANCE_URL (harp.nextcloud-url) must be an http:// or https:// URL");
        assertTrue(e.getMessage().contains(raw));
    }

    // ---- listeners ------------------------------------------------------------------------------------------

    @Test
    void httpsListensOnlyWhenTheCertificateExists() throws IOException {
        Path cert = Files.writeString(dir.resolve("cert.pem"), "x");
        HarpConfig c = load(env("HP_CERT_FILE", cert.toString()));
        assertEquals(Optional.of(new HostPort("0.0.0.0", 8781)), c.httpsAddress());
        assertEquals(cert, c.certFile());
        assertEquals(Optional.empty(), load(env("HP_EXAPPS_HTTPS_ADDRESS", "0.0.0.0:9999")).httpsAddress());
    }

    @Test
    void managementCanBeTurnedOff() {
        assertEquals(Optional.empty(), load(env("HP_MANAGEMENT_ADDRESS", "off")).management());
        assertEquals(Optional.empty(), load(env("HP_MANAGEMENT_ADDRESS", "NONE")).management());
        assertEquals(Optional.of(new HostPort("::", 9)), load(env("HP_MANAGEMENT_ADDRESS", "[::]:9")).management());
    }

    @Test
    void exappsListenerCannotBeTurnedOff() {
        fails(env("HP_EXAPPS_ADDRESS", "off"), "HP_EXAPPS_ADDRESS (harp.exapps-address) must not be empty");
    }

    @ParameterizedTest
    @CsvSource({"HP_EXAPPS_ADDRESS, 8780", "HP_EXAPPS_ADDRESS, 0.0.0.0:70000", "HP_MANAGEMENT_ADDRESS, ::1:8790",
            "HP_EXAPPS_ADDRESS, localhost"})
    void invalidAddressesNameTheVariable(String variable, String value) {
        fails(env(variable, value), variable + " (harp.");
    }

    // ---- numbers and durations ------------------------------------------------------------------------------

    @ParameterizedTest
    @CsvSource({"0, 0", "0.5, 500", "3, 3000", "10, 10000", "2.25, 2250", "' 1 ', 1000"})
    void sessionLifetimeIsSecondsFromZeroToTen(String raw, long millis) {
        assertEquals(Duration.ofMillis(millis), load(env("HP_SESSION_LIFETIME", raw)).sessionLifetime());
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.5", "11", "-1", "-0.1", "abc", "NaN", "Infinity", "3s", "1,5"})
    void sessionLifetimeOutsideTheRangeIsRefused(String raw) {
        ConfigException e = fails(env("HP_SESSION_LIFETIME", raw), "HP_SESSION_LIFETIME (harp.session-lifetime) ");
        assertTrue(e.getMessage().contains("\"" + raw + "\""), e.getMessage());
    }

    @Test
    void blacklistCountAndWindow() {
        HarpConfig c = load(env("HP_BLACKLIST_COUNT", "3", "HP_BLACKLIST_WINDOW", "60"));
        assertEquals(3, c.blacklistCount());
        assertEquals(Duration.ofSeconds(60), c.blacklistWindow(), "a bare window is seconds, as in HaRP");
        assertEquals(Duration.ofMinutes(5), load(env("HP_BLACKLIST_WINDOW", "5m")).blacklistWindow());
        assertEquals(0, load(env("HP_BLACKLIST_COUNT", "0")).blacklistCount(), "zero turns bans off");
    }

    @ParameterizedTest
    @CsvSource({"HP_BLACKLIST_COUNT, -1", "HP_BLACKLIST_COUNT, ten", "HP_BLACKLIST_COUNT, 1.5",
            "HP_BLACKLIST_COUNT, 1000001", "HP_BLACKLIST_WINDOW, 0", "HP_BLACKLIST_WINDOW, 0s",
            "HP_BLACKLIST_WINDOW, -5", "HP_BLACKLIST_WINDOW, soon",
            "HP_EXAPP_CACHE_SIZE, 0", "HP_EXAPP_CACHE_SIZE, x", "HP_SESSION_CACHE_SIZE, 0",
            "HP_BLACKLIST_TABLE_SIZE, 0", "HP_MAX_CONNECTIONS, 0", "HP_UPSTREAM_POOL_SIZE, -1",
            "HP_EXAPP_CACHE_TTL, 0", "HP_EXAPP_CACHE_TTL, 1y"})
    void invalidNumbersNameTheVariable(String variable, String value) {
        fails(env(variable, value), variable + " (harp.");
    }

    @Test
    void limitsAreRead() {
        HarpConfig.Limits l = load(env("HP_EXAPP_CACHE_TTL", "5", "HP_EXAPP_CACHE_SIZE", "7", "HP_SESSION_CACHE_SIZE", "8",
                "HP_BLACKLIST_TABLE_SIZE", "9", "HP_MAX_CONNECTIONS", "10", "HP_UPSTREAM_POOL_SIZE", "0")).limits();
        assertEquals(Duration.ofSeconds(5), l.exappCacheTtl(), "a bare cache TTL is seconds");
        assertEquals(7, l.exappCacheSize());
        assertEquals(8, l.sessionCacheSize());
        assertEquals(9, l.blacklistTableSize());
        assertEquals(10, l.maxConnections());
        assertEquals(0, l.upstreamPoolSize());
    }

    @Test
    void timeoutsUseHaproxyUnits() {
        HarpConfig.Timeouts t = load(env("HP_TIMEOUT_CONNECT", "5s", "HP_TIMEOUT_CLIENT", "1m",
                "HP_TIMEOUT_SERVER", "2h", "HP_TIMEOUT_TUNNEL", "3600s")).timeouts();
        assertEquals(new HarpConfig.Timeouts(Duration.ofSeconds(5), Duration.ofMinutes(1), Duration.ofHours(2),
                Duration.ofHours(1)), t);
        assertEquals(Duration.ofMillis(250), load(env("HP_TIMEOUT_CONNECT", "250")).timeouts().connect(),
                "a bare HAProxy timeout is milliseconds");
    }

    @Test
    void tunnelTimeoutFollowsTheServerTimeout() {
        HarpConfig.Timeouts t = load(env("HP_TIMEOUT_SERVER", "90s")).timeouts();
        assertEquals(Duration.ofSeconds(90), t.tunnel());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "0s", "0ms", "0m"})
    void zeroTunnelTimeoutMeansNoLimit(String raw) {
        // HaRP PR #115 turns 0 into HAProxy's 24d, i.e. no practical limit.
        assertEquals(Duration.ZERO, load(env("HP_TIMEOUT_TUNNEL", raw)).timeouts().tunnel());
    }

    @ParameterizedTest
    @CsvSource({"HP_TIMEOUT_CONNECT, 0", "HP_TIMEOUT_CLIENT, 0s", "HP_TIMEOUT_SERVER, 0",
            "HP_TIMEOUT_CONNECT, 30 seconds", "HP_TIMEOUT_TUNNEL, forever", "HP_TIMEOUT_SERVER, -1s"})
    void invalidTimeoutsNameTheVariable(String variable, String value) {
        fails(env(variable, value), variable + " (harp.");
    }

    // ---- log level ------------------------------------------------------------------------------------------

    @ParameterizedTest
    @CsvSource({"debug, FINE", "DEBUG, FINE", "info, INFO", "Info, INFO", "warning, WARNING", "WARNING, WARNING",
            "error, SEVERE", "ERROR, SEVERE"})
    void logLevels(String raw, String level) {
        assertEquals(Level.parse(level), load(env("HP_LOG_LEVEL", raw)).logLevel());
    }

    @Test
    void unknownLogLevelIsRefused() {
        fails(env("HP_LOG_LEVEL", "verbose"), "HP_LOG_LEVEL (harp.log-level) must be debug, info, warning or error");
    }

    // ---- trusted proxies ------------------------------------------------------------------------------------

    @Test
    void trustedProxiesAreParsed() throws Exception {
        HarpConfig c = load(env("HP_TRUSTED_PROXY_IPS", "10.0.0.5/8, 192.168.1.1 ,fd00::/8,,"));
        assertEquals(3, c.trustedProxies().blocks().size());
        assertTrue(c.trustedProxies().trusts(InetAddress.getByName("10.200.0.1")), "host bits are masked");
        assertTrue(c.trustedProxies().trusts(InetAddress.getByName("fd00::17")));
        assertFalse(c.trustedProxies().trusts(InetAddress.getByName("192.168.1.2")));
    }

    @Test
    void invalidTrustedProxyIsNamed() {
        ConfigException e = fails(env("HP_TRUSTED_PROXY_IPS", "10.0.0.1, proxy.local"),
                "HP_TRUSTED_PROXY_IPS (harp.trusted-proxy-ips): ");
        assertTrue(e.getMessage().contains("proxy.local"));
    }

    // ---- YAML file and precedence ---------------------------------------------------------------------------

    @Test
    void yamlSuppliesSettingsTheEnvironmentLacks() throws IOException {
        HarpConfig c = load(Map.of("HP_CERT_FILE", dir.resolve("none").toString()), """
                harp:
                  shared-key: "%s"
                  nextcloud-url: https://yaml.example.com/
                  exapps-address: 127.0.0.2:7000
                  log-level: debug
                  session-lifetime: 1.5
                  blacklist-count: 4
                  blacklist-window: 2m
                  timeout-server: 10m
                  trusted-proxy-ips:
                    - 10.0.0.0/8
                    - fd00::1
                """.formatted(KEY));
        assertTrue(c.sharedKey().matches(KEY));
        assertEquals(Optional.of(URI.create("https://yaml.example.com")), c.nextcloudUrl());
        assertEquals(new HostPort("127.0.0.2", 7000), c.exappsAddress());
        assertEquals(Level.FINE, c.logLevel());
        assertEquals(Duration.ofMillis(1500), c.sessionLifetime());
        assertEquals(4, c.blacklistCount());
        assertEquals(Duration.ofMinutes(2), c.blacklistWindow());
        assertEquals(Duration.ofMinutes(10), c.timeouts().server());
        assertEquals(Duration.ofMinutes(10), c.timeouts().tunnel());
        assertEquals(2, c.trustedProxies().blocks().size());
    }

    @Test
    void environmentWinsOverYaml() throws IOException {
        HarpConfig c = load(env("HP_EXAPPS_ADDRESS", "127.0.0.3:7001", "HP_BLACKLIST_COUNT", "6"), """
                harp:
                  shared-key: other-key
                  nextcloud-url: https://yaml.example.com
                  exapps-address: 127.0.0.2:7000
                  blacklist-count: 4
                  log-level: error
                """);
        assertTrue(c.sharedKey().matches(KEY));
        assertEquals(Optional.of(URI.create("https://cloud.example.com")), c.nextcloudUrl());
        assertEquals(new HostPort("127.0.0.3", 7001), c.exappsAddress());
        assertEquals(6, c.blacklistCount());
        assertEquals(Level.SEVERE, c.logLevel(), "the file still supplies what the environment lacks");
    }

    @Test
    void blankEnvironmentVariableLeavesTheYamlValue() throws IOException {
        // Compose files often pass "HP_X=${HP_X:-}": blank counts as absent, so the file applies.
        HarpConfig c = load(env("HP_TRUSTED_PROXY_IPS", "", "HP_EXAPPS_ADDRESS", " ", "HP_LOG_LEVEL", "''"), """
                harp:
                  trusted-proxy-ips: 10.0.0.0/8
                  exapps-address: 127.0.0.2:7000
                  log-level: info
                """);
        assertEquals(1, c.trustedProxies().blocks().size());
        assertEquals(new HostPort("127.0.0.2", 7000), c.exappsAddress());
        assertEquals(Level.INFO, c.logLevel());
    }

    @Test
    void everyYamlKeyIsRead() throws IOException {
        Path cert = Files.writeString(dir.resolve("cert.pem"), "x");
        HarpConfig c = load(Map.of(), """
                harp:
                  shared-key: k
                  nextcloud-url: https://cloud
                  cert-file: %s
                  exapps-https-address: 127.0.0.1:9443
                  management-address: "off"
                  timeout-connect: 1s
                  timeout-client: 2s
                  timeout-tunnel: 0
                  exapp-cache-ttl: 7s
                  exapp-cache-size: 11
                  session-cache-size: 12
                  blacklist-table-size: 13
                  max-connections: 14
                  upstream-pool-size: 15
                """.formatted(cert));
        assertEquals(cert, c.certFile());
        assertEquals(Optional.of(new HostPort("127.0.0.1", 9443)), c.httpsAddress());
        assertEquals(Optional.empty(), c.management());
        assertEquals(Duration.ofSeconds(1), c.timeouts().connect());
        assertEquals(Duration.ofSeconds(2), c.timeouts().client());
        assertEquals(Duration.ZERO, c.timeouts().tunnel());
        assertEquals(Duration.ofSeconds(7), c.limits().exappCacheTtl());
        assertEquals(11, c.limits().exappCacheSize());
        assertEquals(12, c.limits().sessionCacheSize());
        assertEquals(13, c.limits().blacklistTableSize());
        assertEquals(14, c.limits().maxConnections());
        assertEquals(15, c.limits().upstreamPoolSize());
    }

    @Test
    void quotesAreStrippedFromEveryVariable() {
        HarpConfig c = load(env("HP_BLACKLIST_COUNT", "'5'", "HP_BLACKLIST_WINDOW", "\"60\"", "HP_SESSION_LIFETIME", "'1'",
                "HP_TIMEOUT_SERVER", "\"10m\"", "HP_LOG_LEVEL", "'info'"));
        assertEquals(5, c.blacklistCount());
        assertEquals(Duration.ofSeconds(60), c.blacklistWindow());
        assertEquals(Duration.ofSeconds(1), c.sessionLifetime());
        assertEquals(Duration.ofMinutes(10), c.timeouts().server());
        assertEquals(Level.INFO, c.logLevel());
    }

    @Test
    void invalidYamlValueNamesTheSetting() {
        ConfigException e = assertThrows(ConfigException.class, () -> load(env(), """
                harp:
                  blacklist-count: many
                """));
        assertTrue(e.getMessage().startsWith("HP_BLACKLIST_COUNT (harp.blacklist-count) "), e.getMessage());
    }

    @Test
    void yamlSharedKeyFile() throws IOException {
        Path file = Files.writeString(dir.resolve("key"), KEY);
        HarpConfig c = load(env("HP_SHARED_KEY", null), "harp:\n  shared-key-file: " + file + "\n");
        assertTrue(c.sharedKey().matches(KEY));
    }

    @Test
    void configFileFromTheEnvironment() throws IOException {
        Path file = Files.writeString(dir.resolve("from-env.yaml"), "harp:\n  blacklist-count: 2\n");
        assertEquals(2, load(env("HP_CONFIG_FILE", "\"" + file + "\"")).blacklistCount());
    }

    @Test
    void missingConfigFileIsNamed() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(env(), Optional.of(dir.resolve("nope.yaml"))));
        assertTrue(e.getMessage().startsWith("HP_CONFIG_FILE: cannot read"), e.getMessage());
        assertThrows(ConfigException.class, () -> load(env("HP_CONFIG_FILE", dir.resolve("nope.yaml").toString())));
    }

    @Test
    void malformedYamlIsNamedWithoutShowingItsSecrets() {
        ConfigException e = assertThrows(ConfigException.class, () -> load(env("HP_SHARED_KEY", null), """
                harp:
                  shared-key: "%s"
                  nextcloud-url: [https://cloud
                    - : : ]
                """.formatted(KEY)));
        assertTrue(e.getMessage().startsWith("HP_CONFIG_FILE: "), e.getMessage());
        assertNoSecret(e);
    }

    @Test
    void unterminatedSecretInYamlIsNotShown() {
        ConfigException e = assertThrows(ConfigException.class, () -> load(env("HP_SHARED_KEY", null), """
                harp:
                  shared-key: "%s
                  nextcloud-url: https://cloud
                """.formatted(KEY)));
        assertTrue(e.getMessage().startsWith("HP_CONFIG_FILE: "), e.getMessage());
        assertTrue(e.getMessage().contains("line 2, column 15"), e.getMessage());
        assertNoSecret(e);
    }

    @Test
    void secretOnATabIndentedLineIsNotShown() {
        ConfigException e = assertThrows(ConfigException.class, () -> load(env("HP_SHARED_KEY", null),
                "harp:\n\tshared-key: " + KEY + "\n"));
        assertNoSecret(e);
    }

    // ---- modes ----------------------------------------------------------------------------------------------

    @Test
    void withoutNextcloudAndKeyTheDemoRunsOnLoopback() {
        HarpConfig c = load(Map.of("HP_CERT_FILE", dir.resolve("none").toString()));
        assertTrue(c.devMode());
        assertTrue(c.dev().orElseThrow().demo());
        assertEquals(Optional.empty(), c.nextcloudUrl());
        assertEquals("127.0.0.1", c.exappsAddress().host());
        assertFalse(c.dev().get().exapps().isEmpty());
        assertTrue(c.sharedKey().reveal().length() >= 20, "a random key is generated");
        assertFalse(c.sharedKey().reveal().equals(load(Map.of()).sharedKey().reveal()));
    }

    @Test
    void devSectionAndNextcloudAreExclusive() {
        ConfigException e = assertThrows(ConfigException.class, () -> load(env(), """
                harp:
                  dev:
                    exapps: []
                """));
        assertTrue(e.getMessage().startsWith("NC_INSTANCE_URL (harp.nextcloud-url) and harp.dev"), e.getMessage());
    }

    @Test
    void devSectionDeclaresExAppsAndUsers() throws IOException {
        HarpConfig c = load(Map.of("HP_CERT_FILE", dir.resolve("none").toString()), """
                harp:
                  dev:
                    exapps:
                      - id: My_App
                        secret: s3
                        port: 9100
                        routes:
                          - url: "^/api"
                            access_level: ADMIN
                            bruteforce_protection: [401, 429]
                    users:
                      - name: bob
                        password: pw
                        access_level: user
                """);
        HarpConfig.Dev dev = c.dev().orElseThrow();
        assertFalse(dev.demo());
        assertEquals("0.0.0.0", c.exappsAddress().host());
        ExAppMeta app = dev.exapps().get(0);
        assertEquals("My_App", app.appId());
        assertEquals("s3", app.token());
        assertEquals("1.0.0", app.version());
        assertEquals("127.0.0.1", app.host());
        assertEquals(9100, app.port());
        assertEquals(AccessLevel.ADMIN, app.routes().get(0).accessLevel());
        assertEquals(java.util.Set.of(401, 429), app.routes().get(0).bruteforceStatus());
        assertEquals(List.of(new HarpConfig.DevUser("bob", "pw", AccessLevel.USER)), dev.users());
        assertFalse(dev.users().get(0).toString().contains("pw"));
    }

    @Test
    void devAppsNeedUniqueIdsAndASecret() {
        Map<String, String> env = Map.of();
        ConfigException dup = assertThrows(ConfigException.class, () -> load(env, """
                harp:
                  dev:
                    exapps:
                      - {id: a, secret: s, port: 1}
                      - {id: A, secret: s, port: 2}
                """));
        assertTrue(dup.getMessage().startsWith("harp.dev.exapps[1].id"), dup.getMessage());
        ConfigException noSecret = assertThrows(ConfigException.class, () -> load(env, """
                harp:
                  dev:
                    exapps:
                      - {id: a, port: 1}
                """));
        assertTrue(noSecret.getMessage().startsWith("harp.dev.exapps[0]: "), noSecret.getMessage());
        assertTrue(noSecret.getMessage().contains("secret"), noSecret.getMessage());
        assertFalse(noSecret.getMessage().contains("exapp_token"), noSecret.getMessage());
    }

    @Test
    void devUsersNeedALevelAbovePublic() {
        ConfigException e = assertThrows(ConfigException.class, () -> load(Map.of(), """
                harp:
                  dev:
                    users:
                      - {name: eve, password: pw, access_level: PUBLIC}
                """));
        assertTrue(e.getMessage().startsWith("harp.dev.users[0] "), e.getMessage());
        assertFalse(e.getMessage().contains("pw"));
    }
}
