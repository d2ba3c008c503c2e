package org.harpjava.exapp.testkit;

/**
 * A message a Talk bot posted through Talk's bot API and {@link FakeNextcloud} accepted (its signature matched a
 * registered bot's secret).
 *
 * @param botRoute    the route of the bot whose secret signed it, as registered with AppAPI
 * @param token       the conversation token
 * @param message     the text
 * @param replyTo     the id of the message it answers, or 0
 * @param referenceId the bot's reference id, or ""
 * @param silent      whether it was sent without notifications
 */
public record TalkBotPost(String botRoute, String token, String message, long replyTo, String referenceId,
                          boolean silent) {
}
