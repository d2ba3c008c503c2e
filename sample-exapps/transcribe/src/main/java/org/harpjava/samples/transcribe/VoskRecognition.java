package org.harpjava.samples.transcribe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.vosk.Recognizer;

import java.io.IOException;
import java.util.Optional;

/**
 * One stream in a Vosk {@link Recognizer}. Vosk finds the ends of utterances itself (no VAD needed): when it has
 * one, its result is {@code {"text":"hello there","result":[{"word":"hello","start":0.51,"end":0.8,...},...]}};
 * otherwise its partial result {@code {"partial":"hello"}} is passed on whenever it changes.
 */
final class VoskRecognition implements StreamingEngine.Recognition {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Recognizer recognizer;
    private String lastPartial = "";

    VoskRecognition(Recognizer recognizer) {
        this.recognizer = recognizer;
        recognizer.setWords(true);
    }

    @Override
    public Optional<StreamingEngine.Heard> accept(byte[] pcm) throws EngineException {
        if (recognizer.acceptWaveForm(pcm, pcm.length)) {
            lastPartial = "";
            return utterance(recognizer.getResult());
        }
        String partial = parse(recognizer.getPartialResult()).path("partial").asText("");
        if (partial.isEmpty() || partial.equals(lastPartial)) {
            return Optional.empty();
        }
        lastPartial = partial;
        return Optional.of(new StreamingEngine.Partial(partial));
    }

    @Override
    public Optional<StreamingEngine.Heard> finish() throws EngineException {
        lastPartial = "";
        return utterance(recognizer.getFinalResult());
    }

    @Override
    public void close() {
        recognizer.close();
    }

    /** The utterance in a result, unless Vosk heard only silence. */
    private static Optional<StreamingEngine.Heard> utterance(String result) throws EngineException {
        JsonNode json = parse(result);
        String text = json.path("text").asText("").strip();
        JsonNode words = json.path("result");
        if (text.isEmpty() || words.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new StreamingEngine.Utterance(text, words.get(0).path("start").asDouble(),
                words.get(words.size() - 1).path("end").asDouble()));
    }

    private static JsonNode parse(String json) throws EngineException {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new EngineException("Vosk answered something that is not JSON", e);
        }
    }
}
