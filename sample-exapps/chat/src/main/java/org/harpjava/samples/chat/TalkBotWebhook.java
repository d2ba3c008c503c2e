package org.harpjava.samples.chat;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import org.harpjava.exapp.nextcloud.TalkBot;
import org.harpjava.exapp.nextcloud.TalkBotMessage;
import org.harpjava.exapp.nextcloud.TalkBotSignature;

import java.io.IOException;
import java.util.Optional;

/**
 * {@code POST /talk_bot}: what Talk posts to the bot, one event per request. It answers at once: the reply is
 * written in the background by {@link TalkReplies}.
 *
 * <p>Who may post: Talk signs each event with the bot's secret ({@code X-Nextcloud-Talk-Random} and
 * {@code X-Nextcloud-Talk-Signature}, an HMAC-SHA256 of the random value and the body). Talk sends it to AppAPI's
 * talk proxy, which checks that signature and posts the event on to the app with AppAPI's own credentials, without
 * Talk's headers; the SDK checks those credentials before this handler runs. When Talk's headers are there (Talk,
 * or a proxy, posting the event as Talk signed it), the signature must match too, compared in constant time.
 *
 * <table>
 *     <caption>Answers</caption>
 *     <tr><td>202</td><td>a question to the bot, to be answered</td></tr>
 *     <tr><td>200</td><td>any other event, ignored</td></tr>
 *     <tr><td>400</td><td>a body that is not a Talk event</td></tr>
 *     <tr><td>401</td><td>a wrong Talk signature</td></tr>
 *     <tr><td>413</td><td>a body over {@value #MAX_BODY_BYTES} bytes</td></tr>
 *     <tr><td>503</td><td>no bot registered (the app is disabled), or too many questions waiting</td></tr>
 * </table>
 */
final class TalkBotWebhook implements Handler {
    static final int MAX_BODY_BYTES = 256 * 1024;

    private final TalkBotRegistration registration;
    private final TalkReplies replies;

    TalkBotWebhook(TalkBotRegistration registration, TalkReplies replies) {
        this.registration = registration;
        this.replies = replies;
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) throws IOException {
        Optional<TalkBot> bot = registration.current();
        if (bot.isEmpty()) {
            ChatApi.error(res, Status.SERVICE_UNAVAILABLE_503, "The Talk bot is not registered");
            return;
        }
        byte[] body = req.content().inputStream().readNBytes(MAX_BODY_BYTES + 1);
        if (body.length > MAX_BODY_BYTES) {
            ChatApi.error(res, Status.REQUEST_ENTITY_TOO_LARGE_413, "The event is larger than " + MAX_BODY_BYTES + " bytes");
            return;
        }
        Optional<String> random = req.headers().first(HeaderNames.create(TalkBotSignature.RANDOM_HEADER));
        Optional<String> signature = req.headers().first(HeaderNames.create(TalkBotSignature.SIGNATURE_HEADER));
        if ((random.isPresent() || signature.isPresent())
                && !TalkBotSignature.verify(bot.get().secret(), random.orElse(null), signature.orElse(null), body)) {
            ChatApi.error(res, Status.UNAUTHORIZED_401, "The Talk signature does not match");
            return;
        }
        TalkBotMessage message;
        try {
            message = TalkBotMessage.parse(body);
        } catch (IllegalArgumentException e) {
            ChatApi.error(res, Status.BAD_REQUEST_400, "The body is not a Talk bot event");
            return;
        }
        if (message.conversationToken().isEmpty()) {
            ChatApi.error(res, Status.BAD_REQUEST_400, "The event names no conversation (target.id)");
            return;
        }
        Optional<String> question = message.isChatMessage() && !message.fromBot()
                ? TalkMention.question(message, TalkBotRegistration.NAME, bot.get().id())
                : Optional.empty();
        if (question.isEmpty()) {
            ChatApi.send(res, Status.OK_200, ChatApi.JSON.createObjectNode().put("status", "ignored"));
        } else if (replies.submit(bot.get(), message, question.get())) {
            ChatApi.send(res, Status.ACCEPTED_202, ChatApi.JSON.createObjectNode().put("status", "answering"));
        } else {
            ChatApi.error(res, Status.SERVICE_UNAVAILABLE_503, "Too many questions are waiting; ask again later");
        }
    }
}
