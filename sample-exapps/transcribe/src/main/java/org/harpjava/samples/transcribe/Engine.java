package org.harpjava.samples.transcribe;

import org.harpjava.exapp.lifecycle.SetupCheck;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Something that turns speech into text: an OpenAI-compatible server ({@link OpenAiTranscriber}) or a model in the
 * process ({@link VoskEngine}). {@code TRANSCRIBE_ENGINE} chooses one.
 */
public interface Engine {
    /**
     * Transcribes {@code audio}, a WAV file of 16 kHz mono 16-bit PCM ({@link SpeechAudio} makes one of any input).
     *
     * @param language a language hint such as {@code de}, when the user gave one
     * @throws EngineException with a message for the user when the engine is down, not ready or refuses
     */
    Transcript transcribe(Path audio, Optional<String> language) throws EngineException;

    /** Where the engine is, for messages and logs ({@code http://whisper:8080/v1}, {@code vosk:/models/en}). */
    String describe();

    /** Whether the engine can work, for Nextcloud's administration overview ({@code GET /setup_checks}). */
    SetupCheck.Result check();
}
