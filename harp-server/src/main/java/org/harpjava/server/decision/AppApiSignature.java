package org.harpjava.server.decision;

import org.harpjava.server.security.SharedKey;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Requests AppAPI itself sends through the proxy ({@code /heartbeat}, {@code /init}, {@code /enabled}, and its
 * other calls to ExApps) carry six headers and the shared key. Such requests skip route checks; the lifecycle
 * paths accept nothing else.
 */
public final class AppApiSignature {
    /** The headers that together mark a request as sent by AppAPI. */
    public static final List<String> HEADERS = List.of("ex-app-version", "ex-app-id", "ex-app-host",
            "ex-app-port", "authorization-app-api", "harp-shared-key");

    private static final Set<String> LIFECYCLE = Set.of("/heartbeat", "/init", "/enabled");

    private AppApiSignature() {
    }

    /** How a request is signed. */
    public enum Kind {
        /** Not all six headers are present: an ordinary request. */
        NONE,
        /** All six headers and the right shared key. */
        VALID,
        /** All six headers but a wrong shared key. */
        BAD_KEY
    }

    /** Classifies a request from its headers ({@code header} returns a lower-case name's value, or null). */
    public static Kind classify(Function<String, String> header, SharedKey key) {
        for (String h : HEADERS) {
            String v = header.apply(h);
            if (v == null || v.isEmpty()) {
                return Kind.NONE;
            }
        }
        return key.matches(header.apply("harp-shared-key")) ? Kind.VALID : Kind.BAD_KEY;
    }

    /** Whether the canonical target path is one of the lifecycle endpoints only AppAPI may call. */
    public static boolean isLifecyclePath(String decodedPath) {
        String p = decodedPath.contains("//") ? decodedPath.replaceAll("/{2,}", "/") : decodedPath;
        if (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return LIFECYCLE.contains(p);
    }

    /**
     * The metadata of an app Nextcloud does not serve yet (during deployment), built from a signed request's
     * {@code ex-app-host}, {@code ex-app-port} and {@code ex-app-version}. Its token is empty: signed requests keep
     * the {@code AUTHORIZATION-APP-API} AppAPI sent.
     */
    public static Optional<ExAppMeta> fallback(String appId, Function<String, String> header) {
        String host = header.apply("ex-app-host");
        String port = header.apply("ex-app-port");
        if (host == null || host.isBlank() || port == null || !port.strip().matches("\\d{1,5}")) {
            return Optional.empty();
        }
        int p = Integer.parseInt(port.strip());
        if (p < 1 || p > 65535) {
            return Optional.empty();
        }
        String version = header.apply("ex-app-version");
        return Optional.of(new ExAppMeta(appId, "", version == null ? "" : version, host.strip(), p, List.of()));
    }
}
