package org.harpjava.exapp.auth;

import org.harpjava.exapp.Caller;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Function;

/**
 * Verifies that a request comes from AppAPI or a Nextcloud proxy: {@code EX-APP-ID} names this app,
 * {@code EX-APP-VERSION} is present (any version: it differs during updates) and {@code AUTHORIZATION-APP-API}
 * is {@code base64(user:secret)} with this app's secret, compared in constant time. {@code AA-VERSION} is never
 * checked (HaRP overwrites it). Pure code: no I/O, no logging of what the request carried.
 */
public final class AppApiAuth {
    private final String appId;
    private final byte[] secretDigest;

    public AppApiAuth(String appId, String appSecret) {
        this.appId = appId;
        this.secretDigest = sha256(appSecret.getBytes(StandardCharsets.UTF_8));
    }

    /** The outcome of a check. */
    public sealed interface Result permits Accepted, Refused {
    }

    /** The request is AppAPI's, made for {@code caller}. */
    public record Accepted(Caller caller) implements Result {
    }

    /** The request is refused for {@code reason}, which is safe to show the client. */
    public record Refused(String reason) implements Result {
    }

    /** Checks a request whose headers {@code header} returns by name (case-insensitive; empty when absent). */
    public Result check(Function<String, Optional<String>> header) {
        Optional<String> id = header.apply("EX-APP-ID").filter(v -> !v.isEmpty());
        Optional<String> version = header.apply("EX-APP-VERSION").filter(v -> !v.isEmpty());
        Optional<String> authorization = header.apply("AUTHORIZATION-APP-API").filter(v -> !v.isEmpty());
        if (id.isEmpty() || version.isEmpty() || authorization.isEmpty()) {
            return new Refused("missing AppAPI headers");
        }
        if (!id.get().equals(appId)) {
            return new Refused("EX-APP-ID does not name this app");
        }
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(authorization.get().strip());
        } catch (IllegalArgumentException e) {
            return new Refused("AUTHORIZATION-APP-API is not base64");
        }
        String credentials = new String(decoded, StandardCharsets.UTF_8);
        int colon = credentials.indexOf(':');
        if (colon < 0) {
            return new Refused("AUTHORIZATION-APP-API is not user:secret");
        }
        byte[] given = sha256(credentials.substring(colon + 1).getBytes(StandardCharsets.UTF_8));
        if (!MessageDigest.isEqual(given, secretDigest)) {
            return new Refused("invalid app secret");
        }
        String user = credentials.substring(0, colon);
        return new Accepted(new Caller(user.isEmpty() ? Optional.empty() : Optional.of(user), version.get()));
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
