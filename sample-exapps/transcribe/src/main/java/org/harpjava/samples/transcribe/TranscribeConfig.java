package org.harpjava.samples.transcribe;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The app's settings, from the environment variables {@code appinfo/info.xml} declares (AppAPI passes them to the
 * container). {@link #toString()} leaves the API key out.
 *
 * @param engine             {@code TRANSCRIBE_ENGINE}: {@code openai} (the default) or {@code vosk}
 * @param voskModelUrl       {@code TRANSCRIBE_VOSK_MODEL_URL}, the zip archive of the Vosk model
 * @param engineUrl          {@code TRANSCRIBE_ENGINE_URL}, the OpenAI-compatible server, up to and including {@code /v1}
 * @param model              {@code TRANSCRIBE_MODEL}
 * @param apiKey             {@code TRANSCRIBE_API_KEY}
 * @param timeout            {@code TRANSCRIBE_TIMEOUT_SECONDS}
 * @param maxUploadBytes     {@code TRANSCRIBE_MAX_UPLOAD_MB}, for uploads and task input files
 * @param taskPoll           {@code TRANSCRIBE_TASK_POLL_SECONDS}, how often to look for tasks without a trigger
 * @param vadThreshold       {@code TRANSCRIBE_VAD_THRESHOLD}, the RMS level (of 32767) above which a 20 ms frame is speech
 * @param vadSilence         {@code TRANSCRIBE_VAD_SILENCE_MS}, the silence that ends an utterance
 * @param maxUtterance       {@code TRANSCRIBE_MAX_UTTERANCE_SECONDS}, the longest utterance before a forced cut
 * @param maxFrameBytes      {@code TRANSCRIBE_MAX_FRAME_KB}, the largest binary WebSocket message
 */
public record TranscribeConfig(Kind engine, URI voskModelUrl, URI engineUrl, String model, Optional<String> apiKey, Duration timeout,
                               long maxUploadBytes, Duration taskPoll, int vadThreshold, Duration vadSilence,
                               Duration maxUtterance, int maxFrameBytes) {
    /** The small English Vosk model (40 MB), used when {@code TRANSCRIBE_VOSK_MODEL_URL} is not set. */
    public static final String DEFAULT_VOSK_MODEL = "https://alphacephei.com/vosk/models/vosk-model-small-en-us-0.15.zip";

    /** The engines to choose from. */
    public enum Kind {
        /** An OpenAI-compatible {@code /v1/audio/transcriptions} server. */
        OPENAI,
        /** Vosk in the process, with a model downloaded during {@code /init}. */
        VOSK
    }

    public static TranscribeConfig from(Map<String, String> env) {
        return new TranscribeConfig(
                engine(get(env, "TRANSCRIBE_ENGINE").orElse("openai")),
                url(env, "TRANSCRIBE_VOSK_MODEL_URL", DEFAULT_VOSK_MODEL),
                URI.create(get(env, "TRANSCRIBE_ENGINE_URL").orElse("http://localhost:8080/v1").replaceAll("/+$", "")),
                get(env, "TRANSCRIBE_MODEL").orElse("whisper-1"),
                get(env, "TRANSCRIBE_API_KEY"),
                Duration.ofSeconds(number(env, "TRANSCRIBE_TIMEOUT_SECONDS", 300)),
                number(env, "TRANSCRIBE_MAX_UPLOAD_MB", 100) * 1024 * 1024,
                Duration.ofSeconds(number(env, "TRANSCRIBE_TASK_POLL_SECONDS", 30)),
                (int) number(env, "TRANSCRIBE_VAD_THRESHOLD", 500),
                Duration.ofMillis(number(env, "TRANSCRIBE_VAD_SILENCE_MS", 700)),
                Duration.ofSeconds(number(env, "TRANSCRIBE_MAX_UTTERANCE_SECONDS", 15)),
                (int) number(env, "TRANSCRIBE_MAX_FRAME_KB", 64) * 1024);
    }

    @Override
    public String toString() {
        return (engine == Kind.VOSK ? "Vosk engine" : "engine " + engineUrl + ", model " + model
                + (apiKey.isPresent() ? ", with an API key" : ""))
                + ", VAD threshold " + vadThreshold + ", silence " + vadSilence.toMillis() + " ms, utterances up to "
                + maxUtterance.toSeconds() + " s";
    }

    private static Kind engine(String name) {
        return switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "openai" -> Kind.OPENAI;
            case "vosk" -> Kind.VOSK;
            default -> throw new IllegalArgumentException("TRANSCRIBE_ENGINE must be \"openai\" or \"vosk\", not \"" + name + "\"");
        };
    }

    private static URI url(Map<String, String> env, String name, String fallback) {
        String v = get(env, name).orElse(fallback);
        try {
            URI uri = new URI(v);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return uri;
            }
        } catch (java.net.URISyntaxException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + " must be an http or https URL");
    }

    private static Optional<String> get(Map<String, String> env, String name) {
        return Optional.ofNullable(env.get(name)).map(String::strip).filter(v -> !v.isEmpty());
    }

    private static long number(Map<String, String> env, String name, long fallback) {
        String v = get(env, name).orElse(null);
        if (v == null) {
            return fallback;
        }
        try {
            long n = Long.parseLong(v);
            if (n <= 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a positive whole number, not \"" + v + "\"");
        }
    }
}
