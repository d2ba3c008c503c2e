package org.harpjava.exapp.nextcloud;

import java.util.Objects;

/**
 * A registered Talk bot. AppAPI 34 and later do not keep the secret for the ExApp, so store it (for instance with
 * {@link AppConfigApi#set(String, String, boolean)} as sensitive, keyed by {@link #id()}) to reply after a restart.
 * {@link #toString()} hides the secret.
 *
 * @param id     the bot's id: {@code sha1("<appid>_<route>")}
 * @param secret the shared secret that signs messages both ways
 */
public record TalkBot(String id, String secret) {
    public TalkBot {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(secret, "secret");
    }

    @Override
    public String toString() {
        return "TalkBot[id=" + id + ", secret=***]";
    }
}
