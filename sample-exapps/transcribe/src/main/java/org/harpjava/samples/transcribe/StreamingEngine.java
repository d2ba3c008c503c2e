package org.harpjava.samples.transcribe;

import java.util.Optional;

/**
 * An engine that recognises audio as it arrives and tells what it heard so far (Vosk). The live route streams to it
 * directly; other engines get whole utterances, cut by {@link Segmenter}.
 */
public interface StreamingEngine extends Engine {
    /** Starts recognising one stream of 16 kHz mono 16-bit PCM. */
    Recognition recognise(Optional<String> language) throws EngineException;

    /** One stream being recognised; used by one thread at a time, closed when the stream ends. */
    interface Recognition extends AutoCloseable {
        /** Takes the next piece of audio (little-endian samples, any even length); what it heard, if it has news. */
        Optional<Heard> accept(byte[] pcm) throws EngineException;

        /** The end of the stream: the last utterance, if anything was said since the previous one. */
        Optional<Heard> finish() throws EngineException;

        @Override
        void close();
    }

    /** What a {@link Recognition} heard. */
    sealed interface Heard {
    }

    /** The utterance under way, as recognised so far; it may still change. */
    record Partial(String text) implements Heard {
    }

    /** A finished utterance, from {@code start} to {@code end} seconds into the stream. */
    record Utterance(String text, double start, double end) implements Heard {
    }
}
