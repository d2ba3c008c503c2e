package org.harpjava.samples.chat;

import org.harpjava.exapp.nextcloud.NextcloudClient;
import org.harpjava.exapp.nextcloud.TalkBot;
import org.harpjava.exapp.nextcloud.TalkBotMessage;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Answers questions asked in Talk, in the background: the webhook hands a question over and returns at once,
 * and at most {@link #MAX_CONCURRENT} answers are worked on at a time, with up to {@link #MAX_WAITING} more
 * waiting. Each answer asks the chat engine and posts the reply to the conversation as a reply to the question;
 * when the engine fails, it posts {@link #APOLOGY} instead and logs why (engine errors never hold the API key).
 */
final class TalkReplies implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(TalkReplies.class.getName());
    static final int MAX_CONCURRENT = 2;
    static final int MAX_WAITING = 16;
    /** Talk's longest chat message. */
    static final int MAX_REPLY_CHARS = 32_000;
    static final String APOLOGY = "Sorry, I cannot answer right now: the language model is not available. "
            + "Please try again later.";

    private final ChatService chat;
    private final NextcloudClient nextcloud;
    private final ThreadPoolExecutor pool = new ThreadPoolExecutor(MAX_CONCURRENT, MAX_CONCURRENT, 0,
            TimeUnit.SECONDS, new ArrayBlockingQueue<>(MAX_WAITING), Thread.ofVirtual().name("talk-reply-", 1).factory());

    TalkReplies(ChatService chat, NextcloudClient nextcloud) {
        this.chat = chat;
        this.nextcloud = nextcloud;
    }

    /**
     * Queues the answer to {@code question}, asked in {@code message}, to be posted by {@code bot}.
     *
     * @return false when too many questions wait already
     */
    boolean submit(TalkBot bot, TalkBotMessage message, String question) {
        try {
            pool.execute(() -> answer(bot, message, question));
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    private void answer(TalkBot bot, TalkBotMessage message, String question) {
        String reply;
        try {
            ChatService.requireValid(question);
            String text = chat.complete(List.of(Message.system(chat.config().systemPrompt()), Message.user(question)))
                    .strip();
            reply = text.isEmpty() ? "(The model gave no answer.)" : shorten(text);
        } catch (EngineException e) {
            LOG.log(System.Logger.Level.WARNING, "No answer for Talk conversation " + message.conversationToken()
                    + ": " + e.getMessage());
            reply = APOLOGY;
        } catch (IllegalArgumentException e) {
            reply = e.getMessage();
        }
        try {
            nextcloud.talkBots().sendMessage(bot.secret(), message.conversationToken(), reply, message.messageId(),
                    false);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Cannot post to Talk conversation " + message.conversationToken()
                    + ": " + e.getMessage());
        }
    }

    private static String shorten(String text) {
        return text.length() <= MAX_REPLY_CHARS ? text : text.substring(0, MAX_REPLY_CHARS - 1) + "…";
    }

    /** Stops answering; questions still waiting are dropped. */
    @Override
    public void close() {
        pool.shutdownNow();
    }
}
