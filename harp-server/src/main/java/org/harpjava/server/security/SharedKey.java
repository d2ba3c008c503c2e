package org.harpjava.server.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The secret shared by AppAPI and the proxy ({@code HP_SHARED_KEY}). Candidates are compared in constant time
 * (on SHA-256 digests, so not even the length leaks); the value never appears in {@link #toString()}.
 */
public final class SharedKey {
    private final String value;
    private final byte[] digest;

    private SharedKey(String value) {
        this.value = value;
        this.digest = sha256(value);
    }

    public static SharedKey of(String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("shared key must not be empty");
        }
        return new SharedKey(value);
    }

    /** Whether {@code candidate} equals the key; {@code null} never does. */
    public boolean matches(String candidate) {
        return candidate != null && MessageDigest.isEqual(digest, sha256(candidate));
    }

    /** The key itself, to send to Nextcloud; never log it. */
    public String reveal() {
        return value;
    }

    @Override
    public String toString() {
        return "SharedKey[redacted]";
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
