package org.harpjava.samples.chat;

import org.harpjava.exapp.nextcloud.TalkBotMessage;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether a Talk message is addressed to the bot, and what it asks. A message addresses the bot when it
 * mentions it, which Talk writes as a {@code {mention-...}} placeholder whose parameter is the bot (id
 * {@code bot-<id>}, or the bot's name), or when the text holds {@code @ChatBot} (or {@code @"ChatBot"}) as typed.
 * The question is the text without that mention (and a comma or colon right after it), the other placeholders
 * shown as the chat view shows them.
 */
final class TalkMention {
    private TalkMention() {
    }

    /** The question of {@code message} to the bot {@code botName} (id {@code botId}); empty when not addressed. */
    static Optional<String> question(TalkBotMessage message, String botName, String botId) {
        String text = message.text();
        boolean mentioned = false;
        for (TalkBotMessage.Parameter p : message.parameters()) {
            boolean mention = p.key().startsWith("mention-");
            boolean bot = mention && (p.id().equals("bot-" + botId) || p.name().equalsIgnoreCase(botName));
            mentioned |= bot;
            String placeholder = "{" + p.key() + "}";
            text = bot ? text.replaceAll(Pattern.quote(placeholder) + "[,:]?", "")
                    : text.replace(placeholder, mention ? "@" + p.name() : p.name());
        }
        Matcher typed = typedMention(botName).matcher(text);
        if (typed.find()) {
            mentioned = true;
            text = typed.replaceAll("");
        }
        String question = text.replaceAll("[ \\t]{2,}", " ").strip(); // where a mention was, keeping line breaks
        return mentioned && !question.isEmpty() ? Optional.of(question) : Optional.empty();
    }

    /** {@code @Name} or {@code @"Name"} in any case, not inside a word or a longer name. */
    private static Pattern typedMention(String botName) {
        String name = Pattern.quote(botName);
        return Pattern.compile("(?<![\\w@])@(?:\"" + name + "\"|" + name + "(?![\\w-]))[,:]?", Pattern.CASE_INSENSITIVE);
    }
}
