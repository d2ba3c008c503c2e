package org.harpjava.samples.transcribe;

import org.harpjava.exapp.ExApp;
import org.harpjava.exapp.ExAppEnvironment;
import org.harpjava.exapp.nextcloud.NextcloudClient;

import java.nio.file.Path;
import java.util.Map;

/**
 * Speech to text on your own server, as a Nextcloud ExApp:
 * <ul>
 *     <li>batch transcription of WAV uploads ({@link TranscribeApi});</li>
 *     <li>a TaskProcessing provider of {@code core:audio2text}, so that the Assistant transcribes with the same
 *     engine ({@link AudioTasks});</li>
 * </ul>
 * Audio goes to an OpenAI-compatible transcription server ({@code TRANSCRIBE_ENGINE_URL}: whisper.cpp server,
 * faster-whisper, LocalAI, vLLM), configured by {@link TranscribeConfig}.
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
        TranscribeConfig config = TranscribeConfig.from(env);
        LOG.log(System.Logger.Level.INFO, "Starting with " + config);

        Engine engine = new OpenAiTranscriber(config.engineUrl(), config.model(), config.apiKey(), config.timeout());
        Path tmp = environment.persistentStorage().resolve("tmp");
        NextcloudClient nextcloud = NextcloudClient.create(environment);
        return ExApp.builder(environment)
                .nextcloud(nextcloud)
                .routes(new TranscribeApi(engine, tmp, config.maxUploadBytes()), new LiveSocket(engine, config, tmp))
                .tasks(AudioTasks.worker(nextcloud, engine, config, tmp, environment.appId()))
                .start();
    }
}
