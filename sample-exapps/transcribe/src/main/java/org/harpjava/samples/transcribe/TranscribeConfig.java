package org.harpjava.samples.transcribe;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The app's settings, from the environment variables {@code appinfo/info.xml} declares (AppAPI passes them to the
 * container). {@link #toString()} leaves the API key out.
 *
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
public record TranscribeConfig(URI engineUrl, String model, Optional<String> apiKey, Duration timeout,
                               long maxUploadBytes, Duration taskPoll, int vadThreshold, Duration vadSilence,
                               Duration maxUtterance, int maxFrameBytes) {

    public static TranscribeConfig from(Map<String, String> env) {
        return new TranscribeConfig(
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
        return "engine " + engineUrl + ", model " + model + (apiKey.isPresent() ? ", with an API key" : "")
                + ", VAD threshold " + vadThreshold + ", silence " + vadSilence.toMillis() + " ms, utterances up to "
                + maxUtterance.toSeconds() + " s";
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
