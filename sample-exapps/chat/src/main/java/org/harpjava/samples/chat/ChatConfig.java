package org.harpjava.samples.chat;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The chat app's own settings, read from the environment variables its {@code appinfo/info.xml} declares. An
 * administrator sets them when registering the app ({@code occ app_api:app:register ... --env CHAT_MODEL=...}).
 *
 * @param engineUrl    {@code CHAT_ENGINE_URL}: base URL of an OpenAI-compatible server, up to and including
 *                     {@code /v1} (Ollama: {@code http://ollama:11434/v1}, llama.cpp: {@code http://llama:8080/v1})
 * @param model        {@code CHAT_MODEL}: the model name the server knows
 * @param apiKey       {@code CHAT_API_KEY}: sent as a bearer token when set; never logged
 * @param systemPrompt {@code CHAT_SYSTEM_PROMPT}: the first message of every conversation
 * @param timeout      {@code CHAT_TIMEOUT_SECONDS}: how long to wait for the engine to connect, to answer, and
 *                     between two streamed chunks
 * @param taskPoll     {@code CHAT_TASK_POLL_SECONDS}: how often to ask Nextcloud for TaskProcessing tasks when
 *                     no {@code /trigger} arrives
 * @param talkBot      {@code CHAT_TALK_BOT}: whether to offer a Talk bot that answers when mentioned
 *                     ({@code true} or {@code false}, the default)
 */
public record ChatConfig(URI engineUrl, String model, Optional<String> apiKey, String systemPrompt,
                         Duration timeout, Duration taskPoll, boolean talkBot) {
    public static final String DEFAULT_ENGINE_URL = "http://localhost:11434/v1";
    public static final String DEFAULT_MODEL = "llama3.2";
    public static final String DEFAULT_SYSTEM_PROMPT = "You are a helpful assistant. Answer concisely.";

    /** Reads the settings from {@code env}, with defaults for what is not set. */
    public static ChatConfig from(Map<String, String> env) {
        String url = get(env, "CHAT_ENGINE_URL").orElse(DEFAULT_ENGINE_URL).replaceAll("/+$", "");
        URI engine = URI.create(url);
        if (!"http".equals(engine.getScheme()) && !"https".equals(engine.getScheme())) {
            throw new IllegalArgumentException("CHAT_ENGINE_URL must be an http:// or https:// URL (got \"" + url + "\")");
        }
        return new ChatConfig(engine,
                get(env, "CHAT_MODEL").orElse(DEFAULT_MODEL),
                get(env, "CHAT_API_KEY"),
                get(env, "CHAT_SYSTEM_PROMPT").orElse(DEFAULT_SYSTEM_PROMPT),
                Duration.ofSeconds(seconds(env, "CHAT_TIMEOUT_SECONDS", 120)),
                Duration.ofSeconds(seconds(env, "CHAT_TASK_POLL_SECONDS", 30)),
                flag(env, "CHAT_TALK_BOT"));
    }

    private static Optional<String> get(Map<String, String> env, String name) {
        return Optional.ofNullable(env.get(name)).map(String::strip).filter(v -> !v.isEmpty());
    }

    private static long seconds(Map<String, String> env, String name, long fallback) {
        String v = get(env, name).orElse(Long.toString(fallback));
        try {
            long s = Long.parseLong(v);
            if (s > 0) {
                return s;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException(name + " must be a positive number of seconds (got \"" + v + "\")");
    }

    private static boolean flag(Map<String, String> env, String name) {
        String v = get(env, name).orElse("false");
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw new IllegalArgumentException(name + " must be true or false (got \"" + v + "\")");
        };
    }

    /** Everything but the API key, which is only said to be set or not. */
    @Override
    public String toString() {
        return "ChatConfig[engineUrl=" + engineUrl + ", model=" + model + ", apiKey=" + (apiKey.isPresent() ? "(set)" : "(none)")
                + ", timeout=" + timeout.toSeconds() + "s, taskPoll=" + taskPoll.toSeconds() + "s, talkBot=" + talkBot + "]";
    }
}
