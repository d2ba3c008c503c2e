package org.harpjava.samples.transcribe;

import org.harpjava.exapp.ExApp;
import org.harpjava.exapp.ExAppEnvironment;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Speech to text on your own server, as a Nextcloud ExApp. Audio goes to an OpenAI-compatible transcription
 * server ({@code TRANSCRIBE_ENGINE_URL}: whisper.cpp server, faster-whisper, LocalAI, vLLM).
 */
public final class TranscribeApp {
    private static final System.Logger LOG = System.getLogger(TranscribeApp.class.getName());

    private TranscribeApp() {
    }

    public static void main(String[] args) {
        ExApp app = start(System.getenv());
        Runtime.getRuntime().addShutdownHook(new Thread(app::close));
    }

    /** Starts the app with the environment variables {@code env}. */
    public static ExApp start(Map<String, String> env) {
        ExAppEnvironment environment = ExAppEnvironment.from(env);
        URI engineUrl = URI.create(get(env, "TRANSCRIBE_ENGINE_URL").orElse("http://localhost:8080/v1").replaceAll("/+$", ""));
        String model = get(env, "TRANSCRIBE_MODEL").orElse("whisper-1");
        Optional<String> key = get(env, "TRANSCRIBE_API_KEY");
        Duration timeout = Duration.ofSeconds(Long.parseLong(get(env, "TRANSCRIBE_TIMEOUT_SECONDS").orElse("300")));
        long maxUpload = Long.parseLong(get(env, "TRANSCRIBE_MAX_UPLOAD_MB").orElse("100")) * 1024 * 1024;
        LOG.log(System.Logger.Level.INFO, "Transcribing with " + engineUrl + ", model " + model
                + (key.isPresent() ? ", with an API key" : ""));

        OpenAiTranscriber engine = new OpenAiTranscriber(engineUrl, model, key, timeout);
        return ExApp.builder(environment)
                .routes(new TranscribeApi(engine, environment.persistentStorage().resolve("tmp"), maxUpload))
                .start();
    }

    private static Optional<String> get(Map<String, String> env, String name) {
        return Optional.ofNullable(env.get(name)).map(String::strip).filter(v -> !v.isEmpty());
    }
}
