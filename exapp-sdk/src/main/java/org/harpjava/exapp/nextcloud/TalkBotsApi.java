package org.harpjava.exapp.nextcloud;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Talk bots. Registration goes to AppAPI ({@code /api/v1/talk_bot}); Talk then posts conversation events to
 * {@code route} through AppAPI's talk proxy. Messages and reactions go to Talk's bot API, signed with the bot's
 * secret and sent without the AppAPI credentials.
 */
public final class TalkBotsApi {
    private static final String REGISTER = Endpoints.APP_API + "/talk_bot";

    private final Session session;

    TalkBotsApi(Session session) {
        this.session = session;
    }

    /**
     * Registers a bot whose events go to the ExApp path {@code route}.
     *
     * @param name        the name its messages appear under
     * @param route       the ExApp path Talk's events are posted to; unique per bot
     * @param description what moderators see when they enable it
     * @return the bot's id and secret; keep the secret, AppAPI does not
     */
    public TalkBot register(String name, String route, String description) {
        JsonNode data = session.ocs(Call.post(REGISTER).json(Json.object().put("name", name)
                .put("route", route).put("description", description == null ? "" : description)));
        String id = Json.text(data, "id", "");
        String secret = Json.text(data, "secret", "");
        if (id.isEmpty() || secret.isEmpty()) {
            throw new HttpStatusException("POST", REGISTER, 200, 0, "the answer has no bot id or secret");
        }
        return new TalkBot(id, secret);
    }

    /**
     * Removes the bot of {@code route}.
     *
     * @return false when there was none
     */
    public boolean unregister(String route) {
        try {
            session.ocs(Call.delete(REGISTER).json(Json.object().put("route", route)));
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    /** The id AppAPI gives the bot of {@code route}: {@code sha1("<appid>_<route without leading slashes>")}. */
    public String botId(String route) {
        String r = route;
        while (r.startsWith("/")) {
            r = r.substring(1);
        }
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            return HexFormat.of().formatHex(sha1.digest((session.appId() + "_" + r).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is not available", e);
        }
    }

    /**
     * Posts {@code message} to conversation {@code token} as the bot.
     *
     * @return the reference id Talk stores with the message
     */
    public String sendMessage(String botSecret, String token, String message) {
        return sendMessage(botSecret, token, message, 0, false);
    }

    /**
     * Posts {@code message} to conversation {@code token} as the bot.
     *
     * @param replyTo the id of the message this answers, or 0
     * @param silent  whether to skip chat notifications
     * @return the reference id Talk stores with the message
     */
    public String sendMessage(String botSecret, String token, String message, long replyTo, boolean silent) {
        String referenceId = TalkBotSignature.newRandom();
        ObjectNode body = Json.object().put("message", message).put("referenceId", referenceId).put("silent", silent);
        if (replyTo > 0) {
            body.put("replyTo", replyTo);
        }
        signed(Call.post(Endpoints.TALK_BOT + "/" + Endpoints.segment(token) + "/message"), botSecret, message, body);
        return referenceId;
    }

    /** Adds the reaction {@code reaction} (one emoji) to message {@code messageId} in conversation {@code token}. */
    public void react(String botSecret, String token, long messageId, String reaction) {
        signed(Call.post(reactionPath(token, messageId)), botSecret, reaction, Json.object().put("reaction", reaction));
    }

    /** Removes the bot's reaction {@code reaction} from message {@code messageId}. */
    public void deleteReaction(String botSecret, String token, long messageId, String reaction) {
        signed(Call.delete(reactionPath(token, messageId)), botSecret, reaction,
                Json.object().put("reaction", reaction));
    }

    private static String reactionPath(String token, long messageId) {
        return Endpoints.TALK_BOT + "/" + Endpoints.segment(token) + "/reaction/" + messageId;
    }

    private void signed(Call call, String botSecret, String signedText, ObjectNode body) {
        if (botSecret == null || botSecret.isEmpty()) {
            throw new IllegalArgumentException("the bot secret is required");
        }
        String random = TalkBotSignature.newRandom();
        call.withoutAppApiAuth()
                .header(TalkBotSignature.BOT_RANDOM_HEADER, random)
                .header(TalkBotSignature.BOT_SIGNATURE_HEADER, TalkBotSignature.sign(botSecret, random, signedText))
                .json(body);
        session.ocs(call);
    }
}
