package org.harpjava.exapp.nextcloud;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Who the ExApp is to Nextcloud, and how it proves it. {@link #toString()} hides the secret. */
record AppApiIdentity(String appId, String appVersion, String secret, String aaVersion) {
    AppApiIdentity {
        if (appId == null || appId.isBlank()) {
            throw new IllegalArgumentException("app id is required");
        }
        if (appVersion == null || appVersion.isBlank()) {
            throw new IllegalArgumentException("app version is required: Nextcloud refuses an empty EX-APP-VERSION");
        }
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("app secret is required");
        }
    }

    /** The {@code AUTHORIZATION-APP-API} value for {@code user} (empty for the system context). */
    String authorization(String user) {
        String plain = (user == null ? "" : user) + ":" + secret;
        return Base64.getEncoder().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Replaces the secret wherever it appears in {@code text}. A secret shorter than 8 characters (only seen in
     * development set-ups; AppAPI generates 128) is not searched for, as it would mangle ordinary words.
     */
    String redact(String text) {
        return text == null || secret.length() < 8 ? text : text.replace(secret, "***");
    }

    @Override
    public String toString() {
        return "AppApiIdentity[appId=" + appId + ", appVersion=" + appVersion + ", aaVersion=" + aaVersion + "]";
    }
}
