package org.harpjava.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.harpjava.server.decision.AccessLevel;
import org.harpjava.server.decision.ExAppMeta;
import org.harpjava.server.docker.DockerEngines;
import org.harpjava.server.docker.EngineAddress;
import org.harpjava.server.docker.EngineTls;
import org.harpjava.server.nextcloud.ExAppMetaJson;
import org.harpjava.server.nextcloud.InvalidMetadataException;
import org.harpjava.server.security.SharedKey;
import org.harpjava.server.security.TrustedProxies;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds a {@link HarpConfig} from HaRP's environment variables, an optional YAML file ({@code HP_CONFIG_FILE} or
 * {@code --config}) and built-in defaults, in that order of precedence. Every invalid value fails with one
 * {@link ConfigException} naming the setting; secrets never appear in messages.
 *
 * <p>Without {@code NC_INSTANCE_URL} and without a shared key, the server starts in the standalone dev mode on the
 * embedded demo configuration ({@code harp-dev-demo.yaml}); a YAML file with a {@code harp.dev} section selects dev
 * mode explicitly.
 */
public final class ConfigLoader {
    /** Environment variable naming the YAML configuration file. */
    public static final String CONFIG_FILE_ENV = "HP_CONFIG_FILE";
    static final String DEMO_RESOURCE = "harp-dev-demo.yaml";

    private static final String QUOTES = "\"'";
    private static final Pattern YAML_MARK = Pattern.compile("line \\d+, column \\d+");

    private final Map<String, String> env;
    private final Config file;

    private ConfigLoader(Map<String, String> env, Config file) {
        this.env = env;
        this.file = file;
    }

    /** Loads the configuration from {@code env} and the file it (or {@code configFile}) names. */
    public static HarpConfig load(Map<String, String> env, Optional<Path> configFile) {
        Optional<Path> path = configFile.or(() -> Optional.ofNullable(env.get(CONFIG_FILE_ENV))
                .map(ConfigLoader::stripQuotes).filter(s -> !s.isBlank()).map(Path::of));
        Config file = path.map(ConfigLoader::readFile).orElseGet(Config::empty);
        return new ConfigLoader(env, file).build();
    }

    private static Config readFile(Path path) {
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw new ConfigException(CONFIG_FILE_ENV + ": cannot read configuration file " + path);
        }
        try {
            return Config.just(ConfigSources.file(path));
        } catch (RuntimeException e) {
            throw new ConfigException(CONFIG_FILE_ENV + ": " + path + " is not valid YAML" + yamlPosition(e.getMessage()));
        }
    }

    private HarpConfig build() {
        Optional<String> keyValue = sharedKeyValue();
        Optional<URI> ncUrl = value(Setting.NEXTCLOUD_URL).map(ConfigLoader::nextcloudUrl);
        boolean devSection = file.get("harp.dev").exists();
        Optional<HarpConfig.Dev> dev = Optional.empty();
        Config devConfig = file;
        if (devSection && ncUrl.isPresent()) {
            throw new ConfigException(Setting.NEXTCLOUD_URL.label()
                    + " and harp.dev are both set: use a Nextcloud or the standalone dev mode, not both");
        }
        if (ncUrl.isEmpty()) {
            if (!devSection) {
                if (keyValue.isPresent()) {
                    throw new ConfigException(Setting.NEXTCLOUD_URL.label() + " is required");
                }
                devConfig = Config.just(ConfigSources.classpath(DEMO_RESOURCE));
            }
            dev = Optional.of(dev(devConfig, !devSection));
        } else if (keyValue.isEmpty()) {
            throw new ConfigException(Setting.SHARED_KEY.env() + " or " + Setting.SHARED_KEY_FILE.env() + " is required");
        }
        SharedKey key = SharedKey.of(keyValue.orElseGet(ConfigLoader::randomKey));

        String defaultBind = dev.filter(HarpConfig.Dev::demo).isPresent() ? "127.0.0.1" : "0.0.0.0";
        HostPort exapps = hostPort(Setting.EXAPPS_ADDRESS, defaultBind + ":8780").orElseThrow(
                () -> new ConfigException(Setting.EXAPPS_ADDRESS.label() + " must not be empty"));
        Path cert = Path.of(value(Setting.CERT_FILE).orElse("/certs/cert.pem"));
        Optional<HostPort> https = Files.exists(cert)
                ? hostPort(Setting.EXAPPS_HTTPS_ADDRESS, defaultBind + ":8781") : Optional.empty();
        Optional<HostPort> management = hostPort(Setting.MANAGEMENT_ADDRESS, "127.0.0.1:8790");

        TrustedProxies proxies;
        try {
            proxies = TrustedProxies.parse(value(Setting.TRUSTED_PROXY_IPS).orElse(""));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(Setting.TRUSTED_PROXY_IPS.label() + ": " + e.getMessage());
        }

        Duration server = duration(Setting.TIMEOUT_SERVER, "1800s", 1);
        Duration tunnel = value(Setting.TIMEOUT_TUNNEL).map(v -> Durations.parse(Setting.TIMEOUT_TUNNEL.label(), v, 1))
                .orElse(server);
        HarpConfig.Timeouts timeouts = new HarpConfig.Timeouts(
                positive(Setting.TIMEOUT_CONNECT, duration(Setting.TIMEOUT_CONNECT, "30s", 1)),
                positive(Setting.TIMEOUT_CLIENT, duration(Setting.TIMEOUT_CLIENT, "30s", 1)),
                positive(Setting.TIMEOUT_SERVER, server),
                tunnel);

        HarpConfig.Limits limits = new HarpConfig.Limits(
                positive(Setting.EXAPP_CACHE_TTL, duration(Setting.EXAPP_CACHE_TTL, "60s", 1000)),
                integer(Setting.EXAPP_CACHE_SIZE, 1000, 1, 1_000_000),
                Duration.ofSeconds(15),
                Duration.ofHours(24),
                integer(Setting.SESSION_CACHE_SIZE, 10_000, 1, 10_000_000),
                integer(Setting.BLACKLIST_TABLE_SIZE, 100_000, 1, 10_000_000),
                (int) integer(Setting.MAX_CONNECTIONS, 8192, 1, 1_000_000),
                (int) integer(Setting.UPSTREAM_POOL_SIZE, 64, 0, 100_000),
                integer(Setting.WS_MAX_MESSAGE, 0, 0, Long.MAX_VALUE));

        return new HarpConfig(key, ncUrl, exapps, https, cert, management, proxies, logLevel(),
                sessionLifetime(), (int) integer(Setting.BLACKLIST_COUNT, 10, 0, 1_000_000),
                positive(Setting.BLACKLIST_WINDOW, duration(Setting.BLACKLIST_WINDOW, "300", 1000)),
                timeouts, limits, dev, dockerEngines());
    }

    /**
     * The local engine (port 24000, the socket of {@code HP_DOCKER_SOCKET}, {@code off} for none) and the engines
     * of {@code harp.docker-engines}: each has a {@code port} and either a unix {@code socket} or a TCP
     * {@code address}, the latter with an optional {@code tls} section. A declared port 24000 replaces the default
     * local socket.
     */
    private Map<Integer, EngineAddress> dockerEngines() {
        Map<Integer, EngineAddress> engines = new TreeMap<>();
        String socket = value(Setting.DOCKER_SOCKET).orElse("/var/run/docker.sock");
        if (!socket.equalsIgnoreCase("off") && !socket.equalsIgnoreCase("none")) {
            engines.put(DockerEngines.LOCAL_PORT, new EngineAddress.Unix(Path.of(socket.startsWith("unix://")
                    ? socket.substring("unix://".length()) : socket)));
        }
        List<Config> nodes = file.get("harp.docker-engines").asNodeList().orElse(List.of());
        Set<Integer> declared = new HashSet<>();
        for (int i = 0; i < nodes.size(); i++) {
            Config node = nodes.get(i);
            String where = "harp.docker-engines[" + i + "]";
            int port = node.get("port").asInt().filter(p -> p >= 1 && p <= 65535).orElseThrow(
                    () -> new ConfigException(where + ".port must be a port number from 1 to 65535"));
            Optional<String> path = node.get("socket").asString().asOptional().map(String::strip).filter(v -> !v.isEmpty());
            Optional<String> address = node.get("address").asString().asOptional().map(String::strip).filter(v -> !v.isEmpty());
            if (path.isPresent() == address.isPresent()) {
                throw new ConfigException(where + " needs either socket (a unix socket path) or address (host:port)");
            }
            Config tls = node.get("tls");
            if (tls.exists() && path.isPresent()) {
                throw new ConfigException(where + ".tls applies to a TCP address only, not to a unix socket");
            }
            EngineAddress engine;
            if (path.isPresent()) {
                engine = new EngineAddress.Unix(Path.of(path.get()));
            } else {
                HostPort hp = HostPort.parse(where + ".address", address.get());
                engine = new EngineAddress.Tcp(hp.host(), hp.port(),
                        tls.exists() ? Optional.of(engineTls(where + ".tls", tls)) : Optional.empty());
            }
            boolean replacesDefault = port == DockerEngines.LOCAL_PORT && value(Setting.DOCKER_SOCKET).isEmpty();
            if (!declared.add(port) || (engines.containsKey(port) && !replacesDefault)) {
                throw new ConfigException(where + ".port " + port + " is used by another engine");
            }
            engines.put(port, engine);
        }
        return engines;
    }

    /**
     * The {@code tls} section of an engine: {@code ca} (required), {@code cert} and {@code key} (together), each
     * the path of a PEM file. The files are read and checked now, so a bad one stops start-up.
     */
    private static EngineTls engineTls(String where, Config tls) {
        if (!tls.isObject()) {
            throw new ConfigException(where + " must be a section with ca, cert and key (paths of PEM files)");
        }
        for (Config field : tls.asNodeList().orElse(List.of())) {
            if (!Set.of("ca", "cert", "key").contains(field.name())) {
                throw new ConfigException(where + "." + field.name() + " is not a setting; use ca, cert and key");
            }
        }
        Optional<Path> ca = pemPath(tls, "ca");
        if (ca.isEmpty()) {
            throw new ConfigException(where + ".ca is required: the CA certificate that issued the engine's certificate");
        }
        return EngineTls.load(where, ca.get(), pemPath(tls, "cert"), pemPath(tls, "key"));
    }

    private static Optional<Path> pemPath(Config tls, String field) {
        return tls.get(field).asString().asOptional().map(String::strip).filter(v -> !v.isEmpty()).map(Path::of);
    }

    /** The raw value of a setting: the environment first, then the file; blank counts as absent. */
    private Optional<String> value(Setting s) {
        String e = env.get(s.env());
        if (e != null && !stripQuotes(e).isBlank()) {
            return Optional.of(stripQuotes(e));
        }
        Config node = file.get("harp").get(s.key());
        if (node.isList()) {
            List<String> items = node.asList(String.class).orElse(List.of());
            return items.isEmpty() ? Optional.empty() : Optional.of(String.join(",", items));
        }
        return node.asString().asOptional().map(String::strip).filter(v -> !v.isEmpty());
    }

    private Optional<String> sharedKeyValue() {
        String rawEnv = env.get(Setting.SHARED_KEY.env());
        if (rawEnv != null && !rawEnv.isEmpty() && !rawEnv.chars().allMatch(c -> c >= 0x20 && c <= 0x7E)) {
            throw new ConfigException(Setting.SHARED_KEY.env() + " must contain printable ASCII characters only");
        }
        Optional<String> direct = value(Setting.SHARED_KEY);
        Optional<String> fromFile = value(Setting.SHARED_KEY_FILE).map(f -> {
            try {
                return Files.readString(Path.of(f), StandardCharsets.UTF_8).strip();
            } catch (IOException | RuntimeException e) {
                throw new ConfigException(Setting.SHARED_KEY_FILE.label() + ": cannot read " + f);
            }
        });
        if (direct.isPresent() && fromFile.isPresent()) {
            throw new ConfigException("set only one of " + Setting.SHARED_KEY.env() + " and " + Setting.SHARED_KEY_FILE.env());
        }
        Optional<String> key = direct.or(() -> fromFile);
        key.ifPresent(k -> {
            if (!k.chars().allMatch(c -> c >= 0x20 && c <= 0x7E)) {
                throw new ConfigException("the shared key must contain printable ASCII characters only");
            }
        });
        if (fromFile.isPresent() && fromFile.get().isEmpty()) {
            throw new ConfigException(Setting.SHARED_KEY_FILE.label() + ": the file is empty");
        }
        return key;
    }

    private static URI nextcloudUrl(String raw) {
        String v = raw;
        while (v.endsWith("/")) {
            v = v.substring(0, v.length() - 1);
        }
        if (v.endsWith("/index.php")) {
            v = v.substring(0, v.length() - "/index.php".length());
        }
        try {
            URI uri = new URI(v);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null
                    || uri.getQuery() != null || uri.getFragment() != null) {
                throw new URISyntaxException(raw, "not an http(s) URL");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new ConfigException(Setting.NEXTCLOUD_URL.label() + " must be an http:// or https:// URL (got \"" + raw + "\")");
        }
    }

    private Optional<HostPort> hostPort(Setting s, String fallback) {
        String v = value(s).orElse(fallback);
        if (v.equalsIgnoreCase("off") || v.equalsIgnoreCase("none")) {
            return Optional.empty();
        }
        return Optional.of(HostPort.parse(s.label(), v));
    }

    private Duration duration(Setting s, String fallback, long bareUnitMillis) {
        return Durations.parse(s.label(), value(s).orElse(fallback), bareUnitMillis);
    }

    private static Duration positive(Setting s, Duration d) {
        if (d.isZero() || d.isNegative()) {
            throw new ConfigException(s.label() + " must be greater than zero");
        }
        return d;
    }

    private long integer(Setting s, long fallback, long min, long max) {
        Optional<String> v = value(s);
        if (v.isEmpty()) {
            return fallback;
        }
        try {
            long n = Long.parseLong(v.get());
            if (n < min || n > max) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new ConfigException(s.label() + " must be a whole number from " + min + " to " + max + " (got \"" + v.get() + "\")");
        }
    }

    private Duration sessionLifetime() {
        Optional<String> v = value(Setting.SESSION_LIFETIME);
        if (v.isEmpty()) {
            return Duration.ofSeconds(3);
        }
        try {
            double seconds = Double.parseDouble(v.get());
            if (!(seconds >= 0 && seconds <= 10)) {
                throw new NumberFormatException();
            }
            return Duration.ofNanos(Math.round(seconds * 1e9));
        } catch (NumberFormatException e) {
            throw new ConfigException(Setting.SESSION_LIFETIME.label() + " must be a number of seconds from 0 to 10 (got \"" + v.get() + "\")");
        }
    }

    private Level logLevel() {
        String v = value(Setting.LOG_LEVEL).orElse("warning").toLowerCase(Locale.ROOT);
        return switch (v) {
            case "trace", "debug" -> Level.FINE;
            case "info" -> Level.INFO;
            case "warning", "warn" -> Level.WARNING;
            case "error", "err" -> Level.SEVERE;
            default -> throw new ConfigException(Setting.LOG_LEVEL.label() + " must be debug, info, warning or error (got \"" + v + "\")");
        };
    }

    private static HarpConfig.Dev dev(Config source, boolean demo) {
        Config dev = source.get("harp.dev");
        List<ExAppMeta> exapps = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        List<Config> apps = dev.get("exapps").asNodeList().orElse(List.of());
        for (int i = 0; i < apps.size(); i++) {
            Config app = apps.get(i);
            String where = "harp.dev.exapps[" + i + "]";
            String id = app.get("id").asString().orElseThrow(() -> new ConfigException(where + ".id is required"));
            if (!id.matches("[A-Za-z0-9_.-]{1,128}") || !ids.add(id.toLowerCase(Locale.ROOT))) {
                throw new ConfigException(where + ".id must be a unique app id of letters, digits, '.', '_' or '-'");
            }
            ObjectNode json = JsonNodeFactory.instance.objectNode();
            json.set("exapp_token", toJson(app.get("secret")));
            json.set("exapp_version", app.get("version").exists() ? toJson(app.get("version")) : json.textNode("1.0.0"));
            json.set("host", app.get("host").exists() ? toJson(app.get("host")) : json.textNode("127.0.0.1"));
            json.set("port", toJson(app.get("port")));
            json.set("routes", app.get("routes").exists() ? toJson(app.get("routes")) : json.arrayNode());
            try {
                exapps.add(ExAppMetaJson.parse(id, json));
            } catch (InvalidMetadataException e) {
                throw new ConfigException(where + ": " + e.getMessage().replace("exapp_token", "secret"));
            }
        }
        List<HarpConfig.DevUser> users = new ArrayList<>();
        List<Config> nodes = dev.get("users").asNodeList().orElse(List.of());
        for (int i = 0; i < nodes.size(); i++) {
            Config u = nodes.get(i);
            String where = "harp.dev.users[" + i + "]";
            Supplier<ConfigException> missing = () -> new ConfigException(where + " needs name, password and access_level (USER or ADMIN)");
            String name = u.get("name").asString().orElseThrow(missing);
            String password = u.get("password").asString().orElseThrow(missing);
            AccessLevel level = u.get("access_level").asString().asOptional().flatMap(AccessLevel::parse).orElseThrow(missing);
            if (name.isBlank() || name.contains(":") || password.isEmpty() || level == AccessLevel.PUBLIC) {
                throw missing.get();
            }
            users.add(new HarpConfig.DevUser(name, password, level));
        }
        return new HarpConfig.Dev(exapps, users, demo);
    }

    /** A configuration node as JSON; scalars that read as whole numbers become numbers. */
    private static JsonNode toJson(Config node) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (!node.exists()) {
            return f.nullNode();
        }
        if (node.isList()) {
            var array = f.arrayNode();
            node.asNodeList().orElse(List.of()).forEach(c -> array.add(toJson(c)));
            return array;
        }
        if (node.isObject()) {
            ObjectNode object = f.objectNode();
            node.asNodeList().orElse(List.of()).forEach(c -> object.set(c.name(), toJson(c)));
            return object;
        }
        String s = node.asString().orElse("");
        if (s.matches("-?\\d{1,9}")) {
            return f.numberNode(Integer.parseInt(s));
        }
        return f.textNode(s);
    }

    private static String randomKey() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Removes one leading and one trailing quote, as HaRP's start script does. */
    public static String stripQuotes(String v) {
        String s = v.strip();
        if (!s.isEmpty() && QUOTES.indexOf(s.charAt(0)) >= 0) {
            s = s.substring(1);
        }
        if (!s.isEmpty() && QUOTES.indexOf(s.charAt(s.length() - 1)) >= 0) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }

    /** Where a YAML parser error points, without the excerpt of the file it quotes (which may hold a secret). */
    private static String yamlPosition(String message) {
        Matcher m = YAML_MARK.matcher(message == null ? "" : message);
        Set<String> marks = new LinkedHashSet<>();
        while (m.find()) {
            marks.add(m.group());
        }
        return marks.isEmpty() ? "" : " (at " + String.join("; ", marks) + ")";
    }
}
