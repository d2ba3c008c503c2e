package org.harpjava.server.config;

/**
 * Every setting, with the environment variable HaRP reads it from and its key in the YAML file (under
 * {@code harp:}). Environment variables win over the file, the file over the built-in defaults.
 */
public enum Setting {
    SHARED_KEY("HP_SHARED_KEY", "shared-key"),
    SHARED_KEY_FILE("HP_SHARED_KEY_FILE", "shared-key-file"),
    NEXTCLOUD_URL("NC_INSTANCE_URL", "nextcloud-url"),
    EXAPPS_ADDRESS("HP_EXAPPS_ADDRESS", "exapps-address"),
    EXAPPS_HTTPS_ADDRESS("HP_EXAPPS_HTTPS_ADDRESS", "exapps-https-address"),
    CERT_FILE("HP_CERT_FILE", "cert-file"),
    MANAGEMENT_ADDRESS("HP_MANAGEMENT_ADDRESS", "management-address"),
    TRUSTED_PROXY_IPS("HP_TRUSTED_PROXY_IPS", "trusted-proxy-ips"),
    LOG_LEVEL("HP_LOG_LEVEL", "log-level"),
    SESSION_LIFETIME("HP_SESSION_LIFETIME", "session-lifetime"),
    BLACKLIST_COUNT("HP_BLACKLIST_COUNT", "blacklist-count"),
    BLACKLIST_WINDOW("HP_BLACKLIST_WINDOW", "blacklist-window"),
    TIMEOUT_CONNECT("HP_TIMEOUT_CONNECT", "timeout-connect"),
    TIMEOUT_CLIENT("HP_TIMEOUT_CLIENT", "timeout-client"),
    TIMEOUT_SERVER("HP_TIMEOUT_SERVER", "timeout-server"),
    TIMEOUT_TUNNEL("HP_TIMEOUT_TUNNEL", "timeout-tunnel"),
    EXAPP_CACHE_TTL("HP_EXAPP_CACHE_TTL", "exapp-cache-ttl"),
    EXAPP_CACHE_SIZE("HP_EXAPP_CACHE_SIZE", "exapp-cache-size"),
    SESSION_CACHE_SIZE("HP_SESSION_CACHE_SIZE", "session-cache-size"),
    BLACKLIST_TABLE_SIZE("HP_BLACKLIST_TABLE_SIZE", "blacklist-table-size"),
    MAX_CONNECTIONS("HP_MAX_CONNECTIONS", "max-connections"),
    UPSTREAM_POOL_SIZE("HP_UPSTREAM_POOL_SIZE", "upstream-pool-size"),
    WS_MAX_MESSAGE("HP_WS_MAX_MESSAGE", "ws-max-message"),
    DOCKER_SOCKET("HP_DOCKER_SOCKET", "docker-socket");

    private final String env;
    private final String key;

    Setting(String env, String key) {
        this.env = env;
        this.key = key;
    }

    public String env() {
        return env;
    }

    /** The key under {@code harp:} in the YAML file. */
    public String key() {
        return key;
    }

    /** How error messages name this setting: {@code HP_X (harp.x)}. */
    public String label() {
        return env + " (harp." + key + ")";
    }
}
