package org.harpjava.exapp.nextcloud;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Talk's bot signatures: {@code hex(HMAC-SHA256(secret, random + data))}. Talk signs what it posts to a bot with
 * {@code X-Nextcloud-Talk-Random} and {@code X-Nextcloud-Talk-Signature} over the raw request body; a bot signs its
 * messages and reactions with {@code X-Nextcloud-Talk-Bot-Random} and {@code X-Nextcloud-Talk-Bot-Signature} over
 * the message text or the reaction.
 */
public final class TalkBotSignature {
    /** The random value of a request Talk sends to a bot. */
    public static final String RANDOM_HEADER = "X-Nextcloud-Talk-Random";
    /** The signature of a request Talk sends to a bot. */
    public static final String SIGNATURE_HEADER = "X-Nextcloud-Talk-Signature";
    /** The random value of a request a bot sends to Talk. */
    public static final String BOT_RANDOM_HEADER = "X-Nextcloud-Talk-Bot-Random";
    /** The signature of a request a bot sends to Talk. */
    public static final String BOT_SIGNATURE_HEADER = "X-Nextcloud-Talk-Bot-Signature";

    private static final SecureRandom RANDOM = new SecureRandom();

    private TalkBotSignature() {
    }

    /** The lower-case hex HMAC-SHA256 of {@code random} followed by {@code data}, keyed with {@code secret}. */
    public static String sign(String secret, String random, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update(random.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(mac.doFinal(data));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** {@link #sign(String, String, byte[])} of a text in UTF-8. */
    public static String sign(String secret, String random, String data) {
        return sign(secret, random, data.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Whether {@code signature} is Talk's signature of {@code body} with {@code random}, compared in constant time.
     * Any missing value makes it false.
     *
     * @param secret    the bot's secret
     * @param random    the {@code X-Nextcloud-Talk-Random} header
     * @param signature the {@code X-Nextcloud-Talk-Signature} header
     * @param body      the raw request body, exactly as received
     */
    public static boolean verify(String secret, String random, String signature, byte[] body) {
        if (secret == null || secret.isEmpty() || random == null || signature == null || body == null) {
            return false;
        }
        byte[] expected = sign(secret, random, body).getBytes(StandardCharsets.US_ASCII);
        byte[] given = signature.strip().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, given);
    }

    /** A fresh random value: 64 hex characters. */
    public static String newRandom() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
