package org.harpjava.server;

import io.helidon.logging.common.LogConfig;
import org.harpjava.server.config.ConfigException;
import org.harpjava.server.config.ConfigLoader;
import org.harpjava.server.config.HarpConfig;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Starts harp-server from the environment ({@code HP_*}, {@code NC_INSTANCE_URL}) and an optional YAML file
 * ({@code --config FILE} or {@code HP_CONFIG_FILE}). A configuration error stops start-up with one line on
 * standard error and exit status 2.
 */
public final class HarpMain {
    private static final Logger LOG = Logger.getLogger(HarpMain.class.getName());

    private HarpMain() {
    }

    public static void main(String[] args) {
        Optional<Path> configFile = Optional.empty();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                configFile = Optional.of(Path.of(args[++i]));
            } else if (args[i].equals("--help") || args[i].equals("-h")) {
                System.out.println("usage: harp-server [--config FILE]   (settings: see docs/configuration.md)");
                return;
            } else {
                System.err.println("harp-server: unknown argument " + args[i] + " (usage: harp-server [--config FILE])");
                System.exit(2);
            }
        }
        HarpConfig config;
        try {
            config = ConfigLoader.load(System.getenv(), configFile);
        } catch (ConfigException e) {
            System.err.println("harp-server: invalid configuration: " + e.getMessage());
            System.exit(2);
            return;
        }
        LogConfig.configureRuntime();
        Logger.getLogger("").setLevel(config.logLevel());
        Logger.getLogger("org.harpjava").setLevel(config.logLevel());
        warnAboutIgnoredSettings(System.getenv());

        HarpServer server = HarpServer.start(config);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(server::stop));
        String mode = config.devMode()
                ? "standalone dev mode" + (config.dev().get().demo() ? " (embedded demo configuration: ExApp 'hello' on 127.0.0.1:9000, users alice/alice and admin/admin)" : "")
                : "Nextcloud " + config.nextcloudUrl().get();
        // Start-up facts are always printed, whatever the log level.
        System.out.println("harp-server " + HarpVersion.implementation() + " listening on http://"
                + HarpServer.describe(config.exappsAddress(), server.port())
                + (server.httpsPort() > 0 ? ", https://" + HarpServer.describe(config.httpsAddress().get(), server.httpsPort()) : "")
                + (server.managementPort() > 0 ? "; metrics and health on http://"
                + HarpServer.describe(config.management().get(), server.managementPort()) : "")
                + "; " + mode);
        if (config.devMode()) {
            LOG.log(Level.WARNING, "Running without Nextcloud (dev mode): not for production; set NC_INSTANCE_URL and HP_SHARED_KEY to serve a Nextcloud");
        }
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
