package org.harpjava.samples.chat;

import org.harpjava.exapp.ExApp;
import org.harpjava.exapp.ExAppEnvironment;
import org.harpjava.exapp.lifecycle.SetupCheck;
import org.harpjava.exapp.nextcloud.NextcloudClient;
import org.harpjava.exapp.nextcloud.TopMenuEntry;

import java.util.List;
import java.util.Map;

/**
 * A chat with a language model that runs on your own server, as a Nextcloud ExApp:
 * <ul>
 *     <li>a top-menu page where users chat, the reply streamed over a WebSocket ({@link ChatSocket}) as the model
 *     writes it, with a stop button;</li>
 *     <li>the same over HTTP with server-sent events ({@link ChatApi});</li>
 *     <li>conversations kept per user in an H2 database in the app's persistent storage
 *     ({@link ConversationStore});</li>
 *     <li>a TaskProcessing provider, so that Nextcloud's Assistant uses the same model ({@link ChatTasks});</li>
 *     <li>optionally ({@code CHAT_TALK_BOT=true}), a Talk bot that answers when mentioned ({@link TalkBotWebhook}).</li>
 * </ul>
 * The model runs in any OpenAI-compatible server ({@link ChatEngine}): Ollama, llama.cpp, vLLM, LocalAI.
 * Everything is configured by the environment AppAPI gives the container ({@link ExAppEnvironment}) and the
 * variables {@code appinfo/info.xml} declares ({@link ChatConfig}).
 */
public final class ChatApp implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ChatApp.class.getName());
    /** The name of the top-menu entry, and so of its page. */
    static final String PAGE = "chat";

    private final ExApp exApp;
    private final ConversationStore store;
    private final TalkReplies talkReplies;

    private ChatApp(ExApp exApp, ConversationStore store, TalkReplies talkReplies) {
        this.exApp = exApp;
        this.store = store;
        this.talkReplies = talkReplies;
    }

    public static void main(String[] args) {
        ChatApp app = start(System.getenv());
        Runtime.getRuntime().addShutdownHook(new Thread(app::close));
    }

    /** Starts the app with the environment variables {@code env}. */
    public static ChatApp start(Map<String, String> env) {
        ExAppEnvironment environment = ExAppEnvironment.from(env);
        ChatConfig config = ChatConfig.from(env);
        LOG.log(System.Logger.Level.INFO, "Starting with " + config); // toString() leaves the API key out

        ConversationStore store = ConversationStore.open(environment.persistentStorage().resolve("conversations"));
        ChatService chat = new ChatService(store, new ChatEngine(config), config);
        NextcloudClient nextcloud = NextcloudClient.create(environment);
        TalkBotRegistration talkBot = new TalkBotRegistration(nextcloud);
        TalkReplies talkReplies = new TalkReplies(chat, nextcloud);

        ExApp.Builder builder = ExApp.builder(environment)
                .nextcloud(nextcloud)
                .routes(new ChatApi(chat), new ChatSocket(chat), new ChatPage())
                .onEnabled(enabled -> {
                    if (enabled) {
                        nextcloud.ui().topMenu().register(new TopMenuEntry(PAGE, "Chat", "img/chat.svg", false));
                        nextcloud.ui().scripts().add(PAGE, "js/chat");
                    } else {
                        nextcloud.ui().scripts().remove(PAGE, "js/chat");
                        nextcloud.ui().topMenu().unregister(PAGE);
                    }
                    if (config.talkBot()) {
                        enableTalkBot(talkBot, enabled);
                    }
                })
                .tasks(ChatTasks.worker(nextcloud, chat, environment.appId()))
                .setupCheck("chat_engine", () -> engineCheck(chat));
        if (config.talkBot()) {
            // Not a @Route: AppAPI's talk proxy calls it with AppAPI's credentials, not through a user-facing
            // proxy, so it is no route of info.xml.
            builder.routing(r -> r.post(TalkBotRegistration.ROUTE, new TalkBotWebhook(talkBot, talkReplies)));
        }
        return new ChatApp(builder.start(), store, talkReplies);
    }

    /**
     * Registers or removes the Talk bot. A failure (Talk not installed, say) is logged and leaves the rest of the
     * app working.
     */
    private static void enableTalkBot(TalkBotRegistration talkBot, boolean enabled) {
        try {
            if (enabled) {
                talkBot.register();
            } else {
                talkBot.unregister();
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, (enabled ? "Registering" : "Removing") + " the Talk bot failed: "
                    + e.getMessage());
        }
    }

    /** The check on Nextcloud's administration overview: is the engine up, and does it serve the model? */
    static SetupCheck.Result engineCheck(ChatService chat) {
        ChatConfig config = chat.config();
        try {
            List<String> models = chat.engine().models();
            if (models.contains(config.model())) {
                return SetupCheck.Result.of(SetupCheck.Status.SUCCESS,
                        "The chat engine at " + config.engineUrl() + " serves " + config.model());
            }
            return SetupCheck.Result.of(SetupCheck.Status.WARNING, "The chat engine at " + config.engineUrl()
                    + " does not list the model " + config.model() + " (CHAT_MODEL); it lists " + models);
        } catch (EngineException e) {
            return SetupCheck.Result.of(SetupCheck.Status.ERROR, e.getMessage());
        }
    }

    /** The running ExApp (its port, its Nextcloud client, ...). */
    public ExApp exApp() {
        return exApp;
    }

    @Override
    public void close() {
        exApp.close();
        talkReplies.close();
        store.close();
    }
}
