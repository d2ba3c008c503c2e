package org.harpjava.samples.transcribe;

import org.harpjava.exapp.ExApp;
import org.harpjava.exapp.ExAppEnvironment;
import org.harpjava.exapp.models.ModelInstaller;
import org.harpjava.exapp.nextcloud.NextcloudClient;
import org.harpjava.exapp.nextcloud.TopMenuEntry;

import java.nio.file.Path;
import java.util.Map;

/**
 * Speech to text on your own server, as a Nextcloud ExApp:
 * <ul>
 *     <li>a top-menu page that records the microphone and shows the text as it is recognised
 *     ({@link TranscribePage}), over a WebSocket ({@link LiveSocket});</li>
 *     <li>batch transcription of uploaded audio files ({@link TranscribeApi});</li>
 *     <li>a TaskProcessing provider of {@code core:audio2text}, so that the Assistant transcribes with the same
 *     engine ({@link AudioTasks});</li>
 * </ul>
 * The engine is chosen by {@code TRANSCRIBE_ENGINE} ({@link TranscribeConfig}): {@code openai}, the default, sends
 * audio to an OpenAI-compatible transcription server ({@code TRANSCRIBE_ENGINE_URL}: whisper.cpp server,
 * faster-whisper, LocalAI, vLLM); {@code vosk} recognises it in the process, with a model that AppAPI's
 * {@code /init} downloads into the persistent storage. Nextcloud's administration overview shows whether the engine
 * is ready (a setup check).
 */
public final class TranscribeApp {
    private static final System.Logger LOG = System.getLogger(TranscribeApp.class.getName());
    /** The name of the top-menu entry, and so of its page. */
    static final String PAGE = "transcribe";

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

        Path tmp = environment.persistentStorage().resolve("tmp");
        NextcloudClient nextcloud = NextcloudClient.create(environment);
        ExApp.Builder app = ExApp.builder(environment).nextcloud(nextcloud);
        Engine engine;
        if (config.engine() == TranscribeConfig.Kind.VOSK) {
            VoskModel model = new VoskModel(environment.persistentStorage().resolve("vosk-model"), config.voskModelUrl());
            engine = new VoskEngine(model);
            // AppAPI calls /init after deploying and after every update: the model is downloaded unless it is there.
            ModelInstaller installer = model.installer();
            app.init(progress -> installer.install(progress));
        } else {
            engine = new OpenAiTranscriber(config.engineUrl(), config.model(), config.apiKey(), config.timeout());
        }
        return app.setupCheck("engine", engine::check)
                .routes(new TranscribeApi(engine, tmp, config.maxUploadBytes()), new LiveSocket(engine, config, tmp),
                        new TranscribePage())
                .onEnabled(enabled -> {
                    if (enabled) {
                        nextcloud.ui().topMenu().register(new TopMenuEntry(PAGE, "Transcribe", "img/transcribe.svg", false));
                        nextcloud.ui().scripts().add(PAGE, "js/transcribe");
                    } else {
                        nextcloud.ui().scripts().remove(PAGE, "js/transcribe");
                        nextcloud.ui().topMenu().unregister(PAGE);
                    }
                })
                .tasks(AudioTasks.worker(nextcloud, engine, config, tmp, environment.appId()))
                .start();
    }
}
