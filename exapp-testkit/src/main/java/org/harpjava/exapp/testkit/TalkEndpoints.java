package org.harpjava.exapp.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import org.harpjava.exapp.testkit.Ocs.Reply;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Talk's bot API ({@code /ocs/v2.php/apps/spreed/api/v1/bot/<token>/...}): accepts a message or reaction only when
 * {@code X-Nextcloud-Talk-Bot-Signature} is the HMAC of a registered bot's secret over the random value and the
 * message text or reaction, as Talk does; otherwise 401. Accepted messages are kept as {@link TalkBotPost}s.
 */
final class TalkEndpoints {
    static final String BASE = "/ocs/v2.php/apps/spreed/api/v1/bot/";
    private static final Pattern PATH = Pattern.compile(Pattern.quote(BASE) + "([^/]+)/(message|reaction/(\\d+))");

    private final FakeState state;

    TalkEndpoints(FakeState state) {
        this.state = state;
    }

    Optional<Reply> handle(Exchange ex) {
        String p = ex.path();
        if (!p.startsWith(BASE)) {
            return Optional.empty();
        }
        Matcher m = PATH.matcher(p);
        if (!m.matches()) {
            return Optional.of(Ocs.notFound(p, "Not found"));
        }
        boolean message = m.group(2).equals("message");
        if (message && !ex.method().equals("POST")
                || !message && !(ex.method().equals("POST") || ex.method().equals("DELETE"))) {
            return Optional.of(Ocs.failure(p, 405, "Method not allowed"));
        }
        JsonNode body = ex.body();
        String signed = message ? body.path("message").asText(null) : body.path("reaction").asText(null);
        if (signed == null) {
            return Optional.of(Ocs.failure(p, 400, message ? "message is required" : "reaction is required"));
        }
        String random = ex.request().header("X-Nextcloud-Talk-Bot-Random").orElse("");
        String signature = ex.request().header("X-Nextcloud-Talk-Bot-Signature").orElse("");
        Optional<FakeState.TalkBotEntry> bot = signedBy(random, signature, signed);
        if (bot.isEmpty()) {
            return Optional.of(Ocs.failure(p, 401, "Unauthorized"));
        }
        if (message) {
            TalkBotPost post = new TalkBotPost(bot.get().route(), m.group(1), signed, body.path("replyTo").asLong(0),
                    body.path("referenceId").asText(""), body.path("silent").asBoolean(false));
            synchronized (state) {
                state.talkBotPosts.add(post);
                state.notifyAll();
            }
            return Optional.of(Ocs.ok(p, 201, Ocs.JSON.createArrayNode()));
        }
        return Optional.of(Ocs.ok(p, ex.method().equals("POST") ? 201 : 200, Ocs.JSON.createArrayNode()));
    }

    /** The registered bot whose secret made {@code signature}, if any. */
    private Optional<FakeState.TalkBotEntry> signedBy(String random, String signature, String text) {
        List<FakeState.TalkBotEntry> bots;
        synchronized (state) {
            bots = List.copyOf(state.talkBots.values());
        }
        byte[] given = signature.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        for (FakeState.TalkBotEntry bot : bots) {
            if (MessageDigest.isEqual(hmac(bot.secret(), random + text).getBytes(StandardCharsets.US_ASCII), given)) {
                return Optional.of(bot);
            }
        }
        return Optional.empty();
    }

    static String hmac(String secret, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
