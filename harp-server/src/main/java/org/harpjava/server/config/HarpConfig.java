package org.harpjava.server.config;

import org.harpjava.server.decision.ExAppMeta;
import org.harpjava.server.docker.EngineAddress;
import org.harpjava.server.security.SharedKey;
import org.harpjava.server.security.TrustedProxies;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Optional;
import java.util.logging.Level;

/**
 * The validated, immutable configuration of one harp-server.
 *
 * @param sharedKey       secret shared with AppAPI
 * @param nextcloudUrl    Nextcloud base URL (no trailing slash, no {@code /index.php}); empty in dev mode
 * @param exappsAddress   plain HTTP listener
 * @param httpsAddress    HTTPS listener, present only when the certificate file exists
 * @param certFile        PEM file with the private key and certificate chain of the HTTPS listener
 * @param management      listener of metrics and health, empty when turned off
 * @param trustedProxies  proxies whose forwarding headers are believed
 * @param logLevel        level of the root logger
 * @param sessionLifetime how long a resolved Nextcloud user is cached; zero turns caching off
 * @param blacklistCount  failures within the window that ban an address; zero turns bans off
 * @param blacklistWindow sliding window of failures
 * @param timeouts        network timeouts
 * @param limits          bounds of every cache and table
 * @param dev             ExApps and users of the standalone dev mode, present only in that mode
 * @param dockerEngines   the Docker Engines AppAPI may use, by the port number it addresses each one with
 */
public record HarpConfig(SharedKey sharedKey,
                         Optional<URI> nextcloudUrl,
                         HostPort exappsAddress,
                         Optional<HostPort> httpsAddress,
                         Path certFile,
                         Optional<HostPort> management,
                         TrustedProxies trustedProxies,
                         Level logLevel,
                         Duration sessionLifetime,
                         int blacklistCount,
                         Duration blacklistWindow,
                         Timeouts timeouts,
                         Limits limits,
                         Optional<Dev> dev,
                         Map<Integer, EngineAddress> dockerEngines) {

    public HarpConfig {
        dockerEngines = Collections.unmodifiableMap(new TreeMap<>(dockerEngines));
    }

    /** Whether the proxy runs without a Nextcloud, on the ExApps and users of {@link #dev()}. */
    public boolean devMode() {
        return dev.isPresent();
    }

    /**
     * Network timeouts, named as HaRP's HAProxy names them.
     *
     * @param connect connecting to an ExApp or to Nextcloud
     * @param client  inactivity of a client connection
     * @param server  inactivity of an ExApp while a response is awaited or streamed
     * @param tunnel  inactivity of an upgraded (WebSocket) connection; zero means none
     */
    public record Timeouts(Duration connect, Duration client, Duration server, Duration tunnel) {
    }

    /**
     * Bounds of the caches and tables.
     *
     * @param exappCacheTtl      how long ExApp metadata is used before it is fetched again
     * @param exappCacheSize     ExApps kept in the metadata cache
     * @param negativeCacheTtl   how long "Nextcloud does not know this app" is remembered
     * @param exappStaleLimit    how long cached metadata keeps serving while Nextcloud cannot be reached
     * @param sessionCacheSize   resolved users kept
     * @param blacklistTableSize client addresses whose failures are tracked
     * @param maxConnections     concurrent client connections per listener
     * @param upstreamPoolSize   idle keep-alive connections kept per ExApp
     * @param wsMaxMessage       largest WebSocket data message a client may send, in bytes; 0 for no limit
     */
    public record Limits(Duration exappCacheTtl, long exappCacheSize, Duration negativeCacheTtl,
                         Duration exappStaleLimit, long sessionCacheSize, long blacklistTableSize,
                         int maxConnections, int upstreamPoolSize, long wsMaxMessage) {
    }

    /**
     * The standalone dev mode: ExApps and users declared in the configuration instead of fetched from Nextcloud.
     *
     * @param exapps the ExApps served
     * @param users  users who authenticate with HTTP Basic
     * @param demo   whether this is the embedded demo configuration
     */
    public record Dev(List<ExAppMeta> exapps, List<DevUser> users, boolean demo) {
        public Dev {
            exapps = List.copyOf(exapps);
            users = List.copyOf(users);
        }
    }

    /**
     * A dev-mode user.
     *
     * @param name     user id, also the HTTP Basic user name
     * @param password HTTP Basic password; never logged
     * @param level    USER or ADMIN
     */
    public record DevUser(String name, String password, org.harpjava.server.decision.AccessLevel level) {
        @Override
        public String toString() {
            return "DevUser[name=" + name + ", level=" + level + "]";
        }
    }
}
