package org.harpjava.server;

import io.helidon.logging.common.LogConfig;
import org.harpjava.server.config.ConfigException;
import org.harpjava.server.config.ConfigLoader;
import org.harpjava.server.config.HarpConfig;
import org.harpjava.server.config.Setting;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Starts harp-server from the environment ({@code HP_*}, {@code NC_INSTANCE_URL}) and an optional YAML file
 * ({@code --config FILE} or {@code HP_CONFIG_FILE}). A configuration error stops start-up with one line on
 * standard error and exit status 2; a listener that cannot be opened, with exit status 1.
 */
public final class HarpMain {
    private static final Logger LOG = Logger.getLogger(HarpMain.class.getName());
    private static final String USAGE = "usage: harp-server [--config FILE]";

    private HarpMain() {
    }

    /**
     * What {@link #launch} did.
     *
     * @param server     the running server, or null when none was started
     * @param exitStatus the exit status when no server was started: 0 after {@code --help}, 2 for a bad command line
     *                   or configuration, 1 when a listener could not be opened
     */
    record Launch(HarpServer server, int exitStatus) {
    }

    public static void main(String[] args) {
        Launch launch = launch(args, System.getenv(), System.out, System.err, HarpMain::configureLogging);
        if (launch.server() == null) {
            if (launch.exitStatus() != 0) {
                System.exit(launch.exitStatus());
            }
            return;
        }
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(launch.server()::stop));
    }

    /**
     * Starts a server as {@code args} and {@code env} say, printing start-up facts to {@code out} and the reason not
     * to start to {@code err}; {@code logging} sets up logging once the configuration is known.
     */
    static Launch launch(String[] args, Map<String, String> env, PrintStream out, PrintStream err,
                         Consumer<HarpConfig> logging) {
        Optional<Path> configFile = Optional.empty();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--help") || args[i].equals("-h")) {
                out.println(USAGE + "   (settings: see docs/configuration.md)");
                return new Launch(null, 0);
            } else if (args[i].equals("--config") && i + 1 < args.length) {
                configFile = Optional.of(Path.of(args[++i]));
            } else {
                err.println("harp-server: " + (args[i].equals("--config") ? "--config needs a file"
                        : "unknown argument " + args[i]) + " (" + USAGE + ")");
                return new Launch(null, 2);
            }
        }
        HarpConfig config;
        HarpServer server;
        try {
            config = ConfigLoader.load(env, configFile);
            logging.accept(config);
            server = HarpServer.start(config);
        } catch (ConfigException e) {
            err.println("harp-server: invalid configuration: " + redact(e.getMessage(), env));
            return new Launch(null, 2);
        } catch (RuntimeException e) {
            err.println("harp-server: cannot start: " + redact(rootMessage(e), env));
            return new Launch(null, 1);
        }
        warnAboutIgnoredSettings(env);
        String mode = config.devMode()
                ? "standalone dev mode" + (config.dev().get().demo() ? " (embedded demo configuration: ExApp 'hello' on 127.0.0.1:9000, users alice/alice and admin/admin)" : "")
                : "Nextcloud " + config.nextcloudUrl().get();
        // Start-up facts are always printed, whatever the log level.
        out.println("harp-server " + HarpVersion.implementation() + " listening on http://"
                + HarpServer.describe(config.exappsAddress(), server.port())
                + (server.httpsPort() > 0 ? ", https://" + HarpServer.describe(config.httpsAddress().get(), server.httpsPort()) : "")
                + (server.managementPort() > 0 ? "; metrics and health on http://"
                + HarpServer.describe(config.management().get(), server.managementPort()) : "")
                + "; " + mode);
        if (config.devMode()) {
            LOG.log(Level.WARNING, "Running without Nextcloud (dev mode): not for production; set NC_INSTANCE_URL and HP_SHARED_KEY to serve a Nextcloud");
        }
        return new Launch(server, 0);
    }

    private static void configureLogging(HarpConfig config) {
        LogConfig.configureRuntime();
        Logger.getLogger("").setLevel(config.logLevel());
        Logger.getLogger("org.harpjava").setLevel(config.logLevel());
    }

    /** Hides the shared key from a message, should a mistaken setting have put it there. */
    private static String redact(String message, Map<String, String> env) {
        String key = env.get(Setting.SHARED_KEY.env());
        if (key == null || message == null) {
            return String.valueOf(message);
        }
        String redacted = message;
        for (String k : new String[] {key, ConfigLoader.stripQuotes(key)}) {
            if (k.length() >= 4) {
                redacted = redacted.replace(k, "[redacted]");
            }
        }
        return redacted;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return message.replaceAll("\\s+", " ").strip();
    }

    private static void warnAboutIgnoredSettings(Map<String, String> env) {
        for (String name : new String[] {"HP_FRP_ADDRESS", "HP_FRP_DISABLE_TLS", "HP_SPOA_ADDRESS", "HP_K8S_ENABLED"}) {
            String v = env.get(name);
            if (v != null && !v.isBlank() && !(name.equals("HP_K8S_ENABLED") && v.strip().equalsIgnoreCase("false"))) {
                LOG.log(Level.INFO, name + " is not used by harp-server (see docs/migration.md)");
            }
        }
    }
}
