package org.harpjava.samples.chat;

import org.harpjava.exapp.nextcloud.NextcloudClient;
import org.harpjava.exapp.nextcloud.TalkBot;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The app's Talk bot as AppAPI knows it: registered when the app is enabled, removed when it is disabled. AppAPI
 * answers the registration with the bot's id and secret; the secret signs the bot's messages and checks Talk's
 * signatures, so it is kept here (only in memory: every start registers again, see
 * {@link org.harpjava.exapp.ExApp.Builder#reenableOnStart}, and gets it back).
 */
final class TalkBotRegistration {
    /** The ExApp path Talk's events arrive on, through AppAPI's talk proxy. */
    static final String ROUTE = "/talk_bot";
    /** The name the bot's messages appear under, and the one to mention: {@code @ChatBot}. */
    static final String NAME = "ChatBot";
    static final String DESCRIPTION = "Answers with the local language model when you mention @" + NAME;

    private final NextcloudClient nextcloud;
    private final AtomicReference<TalkBot> bot = new AtomicReference<>();

    TalkBotRegistration(NextcloudClient nextcloud) {
        this.nextcloud = nextcloud;
    }

    /** Registers the bot (again: AppAPI keeps one bot per route) and keeps its secret. */
    void register() {
        bot.set(nextcloud.talkBots().register(NAME, ROUTE, DESCRIPTION));
    }

    /** Forgets the secret, then removes the bot; from then on its webhook answers 503. */
    void unregister() {
        bot.set(null);
        nextcloud.talkBots().unregister(ROUTE);
    }

    /** The registered bot, while there is one. */
    Optional<TalkBot> current() {
        return Optional.ofNullable(bot.get());
    }
}
