package org.harpjava.exapp;

import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The deploy environment AppAPI gives an ExApp ({@code APP_ID}, {@code APP_SECRET}, {@code APP_VERSION},
 * {@code APP_HOST}, {@code APP_PORT}, {@code NEXTCLOUD_URL}, ...). Read it with {@link #fromSystem()}; a missing or
 * invalid variable fails with a message naming it. {@link #toString()} never shows the secrets.
 *
 * @param appId             {@code APP_ID}
 * @param appSecret         {@code APP_SECRET}, shared with AppAPI
 * @param appVersion        {@code APP_VERSION}
 * @param appDisplayName    {@code APP_DISPLAY_NAME}, or the app id
 * @param appHost           {@code APP_HOST}, the address to listen on over TCP
 * @param appPort           {@code APP_PORT}
 * @param nextcloudUrl      {@code NEXTCLOUD_URL}, without a trailing slash
 * @param persistentStorage {@code APP_PERSISTENT_STORAGE}, where the app keeps data across updates
 * @param aaVersion         {@code AA_VERSION}, the AppAPI version
 * @param computeDevice     {@code COMPUTE_DEVICE}: {@code CPU}, {@code CUDA} or {@code ROCM}
 * @param unixSocket        where to listen instead of TCP: present when HaRP's FRP mode is in use
 *                          ({@code HP_SHARED_KEY} set), {@code HP_EXAPP_SOCK} or {@code /tmp/exapp.sock}
 */
public record ExAppEnvironment(String appId, String appSecret, String appVersion, String appDisplayName,
                               String appHost, int appPort, URI nextcloudUrl, Path persistentStorage,
                               String aaVersion, String computeDevice, Optional<Path> unixSocket) {
    /** The unix socket HaRP's FRP client forwards to, unless {@code HP_EXAPP_SOCK} names another. */
    public static final Path DEFAULT_SOCKET = Path.of("/tmp/exapp.sock");

    public ExAppEnvironment {
        require("APP_ID", appId);
        require("APP_SECRET", appSecret);
        require("APP_VERSION", appVersion);
        if (!appId.matches("[a-z0-9_.-]{1,64}") && !appId.matches("[A-Za-z0-9_.-]{1,64}")) {
            throw new IllegalArgumentException("APP_ID must be an app id of letters, digits, '_', '.' or '-'");
        }
        if (appPort < 0 || appPort > 65535) {
            throw new IllegalArgumentException("APP_PORT must be a port number from 0 to 65535");
        }
    }

    /** Reads the environment of this process. */
    public static ExAppEnvironment fromSystem() {
        return from(System.getenv());
    }

    /** Reads {@code env}, a map of environment variables. */
    public static ExAppEnvironment from(Map<String, String> env) {
        String appId = value(env, "APP_ID").orElseThrow(() -> missing("APP_ID"));
        String port = value(env, "APP_PORT").orElse("23000");
        int appPort;
        try {
            appPort = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("APP_PORT must be a port number (got \"" + port + "\")");
        }
        String url = value(env, "NEXTCLOUD_URL").orElseThrow(() -> missing("NEXTCLOUD_URL"));
        while (url.endsWith("/")) {
            url = url.substring(0, url.length() - 1);
        }
        URI nextcloud;
        try {
            nextcloud = URI.create(url);
            if (nextcloud.getScheme() == null || nextcloud.getHost() == null
                    || !(nextcloud.getScheme().equals("http") || nextcloud.getScheme().equals("https"))) {
                throw new IllegalArgumentException();
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("NEXTCLOUD_URL must be an http:// or https:// URL (got \"" + url + "\")");
        }
        Optional<Path> socket = value(env, "HP_SHARED_KEY").isPresent()
                ? Optional.of(value(env, "HP_EXAPP_SOCK").map(Path::of).orElse(DEFAULT_SOCKET))
                : Optional.empty();
        return new ExAppEnvironment(appId,
                value(env, "APP_SECRET").orElseThrow(() -> missing("APP_SECRET")),
                value(env, "APP_VERSION").orElseThrow(() -> missing("APP_VERSION")),
                value(env, "APP_DISPLAY_NAME").orElse(appId),
                value(env, "APP_HOST").orElse("127.0.0.1"),
                appPort,
                nextcloud,
                Path.of(value(env, "APP_PERSISTENT_STORAGE").orElse("data")),
                value(env, "AA_VERSION").orElse(""),
                value(env, "COMPUTE_DEVICE").orElse("CPU").toUpperCase(Locale.ROOT),
                socket);
    }

    private static Optional<String> value(Map<String, String> env, String name) {
        return Optional.ofNullable(env.get(name)).map(String::strip).filter(v -> !v.isEmpty());
    }

    private static IllegalArgumentException missing(String name) {
        return new IllegalArgumentException(name + " is not set; AppAPI sets it when it deploys the ExApp");
    }

    private static void require(String name, String value) {
        if (value == null || value.isBlank()) {
            throw missing(name);
        }
    }

    @Override
    public String toString() {
        return "ExAppEnvironment[appId=" + appId + ", appVersion=" + appVersion + ", listen="
                + unixSocket.map(Path::toString).orElse(appHost + ":" + appPort) + ", nextcloudUrl=" + nextcloudUrl
                + ", persistentStorage=" + persistentStorage + ", computeDevice=" + computeDevice + "]";
    }
}
