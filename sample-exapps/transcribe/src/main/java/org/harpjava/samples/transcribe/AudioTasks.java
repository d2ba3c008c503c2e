package org.harpjava.samples.transcribe;

import org.harpjava.exapp.nextcloud.NextcloudClient;
import org.harpjava.exapp.nextcloud.NextcloudException;
import org.harpjava.exapp.nextcloud.TaskProcessingProvider;
import org.harpjava.exapp.tasks.TaskFailure;
import org.harpjava.exapp.tasks.TaskHandler;
import org.harpjava.exapp.tasks.TaskWorker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The app as a Nextcloud TaskProcessing provider of {@code core:audio2text} ("Transcribe audio"), as the stt_whisper2
 * app is: the Assistant schedules a task with an audio file, the SDK's {@link TaskWorker} takes it when AppAPI calls
 * {@code /trigger} (and every {@code TRANSCRIBE_TASK_POLL_SECONDS}), and this downloads the file, converts it to
 * 16 kHz mono WAV ({@link SpeechAudio}), transcribes it and reports {@code {"output": text}}.
 */
final class AudioTasks {
    static final String AUDIO2TEXT = "core:audio2text";
    static final String ENGINE_DOWN = "The transcription engine is not available at the moment. Please try again later.";
    static final String NOT_READY = "The transcription engine is still being set up. Please try again later.";
    static final String UNSUPPORTED = "This audio file cannot be transcribed: ";

    private AudioTasks() {
    }

    static TaskWorker worker(NextcloudClient nextcloud, Engine engine, TranscribeConfig config, Path tmp, String appId) {
        TaskHandler handler = (task, progress) -> {
            List<Long> files = task.inputFileIds("input");
            if (files.isEmpty()) {
                throw new TaskFailure("Task " + task.id() + " has no input file", "The task has no audio file");
            }
            Files.createDirectories(tmp);
            Path audio = Files.createTempFile(tmp, "task-" + task.id() + "-", ".audio");
            Path speech = Files.createTempFile(tmp, "task-" + task.id() + "-", ".wav");
            try {
                long size;
                try {
                    size = nextcloud.taskProcessing().downloadInputFile(task.id(), files.get(0), audio);
                } catch (NextcloudException e) {
                    throw new TaskFailure("Cannot download file " + files.get(0) + " of task " + task.id() + ": "
                            + e.getMessage(), "The audio file could not be read from Nextcloud");
                }
                if (size > config.maxUploadBytes()) {
                    throw new TaskFailure("The audio file of task " + task.id() + " has " + size + " bytes",
                            "The audio file is larger than " + config.maxUploadBytes() / (1024 * 1024) + " MiB");
                }
                try {
                    SpeechAudio.convert(audio, speech);
                } catch (SpeechAudio.UnsupportedAudioException e) {
                    throw new TaskFailure("Task " + task.id() + ": " + e.getMessage(), UNSUPPORTED + e.getMessage());
                }
                progress.accept(0.1);
                Transcript t;
                try {
                    t = engine.transcribe(speech, Optional.empty());
                } catch (EngineException.NotReady e) {
                    throw new TaskFailure(e.getMessage(), NOT_READY);
                } catch (EngineException e) {
                    throw new TaskFailure(e.getMessage(), ENGINE_DOWN);
                }
                progress.accept(0.9);
                return Map.of("output", t.text());
            } finally {
                deleteQuietly(audio);
                deleteQuietly(speech);
            }
        };
        return TaskWorker.builder(nextcloud)
                .provider(TaskProcessingProvider.builder(appId + ":audio2text", "Local speech to text (" + engine.describe() + ")",
                        AUDIO2TEXT).expectedRuntime(60).build(), handler)
                .pollInterval(config.taskPoll())
                .build();
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // A temporary file; the next start clears the folder anyway.
        }
    }
}
