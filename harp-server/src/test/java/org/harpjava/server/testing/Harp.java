package org.harpjava.server.testing;

import org.harpjava.server.HarpServer;
import org.harpjava.server.config.ConfigLoader;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Starts a real harp-server on loopback ports chosen by the system, configured as from the environment. */
public final class Harp {
    private Harp() {
    }

    /**
     * Starts a server with {@code env} on top of test defaults (listeners on 127.0.0.1 port 0, no HTTPS,
     * the local Docker Engine on a socket that does not exist).
     */
    public static HarpServer start(Map<String, String> env) {
        return start(env, null);
    }

    /** Starts a server with {@code env} and the YAML file {@code configFile} (may be null). */
    public static HarpServer start(Map<String, String> env, Path configFile) {
        Map<String, String> all = new HashMap<>();
        all.put("HP_EXAPPS_ADDRESS", "127.0.0.1:0");
        all.put("HP_MANAGEMENT_ADDRESS", "127.0.0.1:0");
        all.put("HP_CERT_FILE", "/nonexistent/cert.pem");
        all.put("HP_DOCKER_SOCKET", "/nonexistent/docker.sock");
        all.putAll(env);
        return HarpServer.start(ConfigLoader.load(all, Optional.ofNullable(configFile)));
    }

    /** Environment for a server in front of {@code nextcloud} with {@code sharedKey}. */
    public static Map<String, String> nextcloud(FakeNextcloud nextcloud, String sharedKey) {
        Map<String, String> env = new HashMap<>();
        env.put("NC_INSTANCE_URL", nextcloud.url());
        env.put("HP_SHARED_KEY", sharedKey);
        return env;
    }
}
