package org.harpjava.samples.transcribe;

import java.nio.file.Path;
import java.util.Optional;

/** Something that turns a 16-bit PCM WAV file into text: an OpenAI-compatible server, or a model in the process. */
public interface Engine {
    /**
     * Transcribes the WAV file {@code audio}.
     *
     * @param language a language hint such as {@code de}, when the user gave one
     * @throws EngineException with a message for the user when the engine is down or refuses
     */
    Transcript transcribe(Path audio, Optional<String> language) throws EngineException;

    /** Where the engine is, for messages and logs ({@code http://whisper:8080/v1}, {@code vosk:/models/en}). */
    String describe();
}
