package org.harpjava.samples.transcribe;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The setup check of the OpenAI-compatible engine, as AppAPI asks for it, against the local fake server. */
class EngineCheckTest {
    @TempDir
    Path storage;
    private Harness h;

    @AfterEach
    void stop() {
        h.close();
    }

    @Test
    void aServerThatKnowsTheModelPassesAndOneWithoutItWarns() throws Exception {
        h = new Harness(storage).start();
        JsonNode ok = h.setupCheck("engine");
        assertEquals("success", ok.path("status").asText(), ok.toString());
        assertEquals("The transcription engine at " + h.engine.url() + " answers and has the model whisper-1", ok.path("text").asText());

        h.engine.models = List.of("large-v3", "distil-small.en");
        JsonNode unknown = h.setupCheck("engine");
        assertEquals("warning", unknown.path("status").asText(), unknown.toString());
        assertEquals("The transcription engine at " + h.engine.url() + " does not list the model \"whisper-1\" "
                + "(TRANSCRIBE_MODEL); it has large-v3, distil-small.en", unknown.path("text").asText());

        h.engine.models = List.of(); // whisper.cpp's server has no /models
        JsonNode unlisted = h.setupCheck("engine");
        assertEquals("success", unlisted.path("status").asText(), unlisted.toString());
        assertTrue(unlisted.path("text").asText().endsWith("answers (it does not list its models)"));
    }

    @Test
    void aRefusedKeyAndAServerThatIsDownAreErrors() throws Exception {
        h = new Harness(storage);
        h.extraEnv.put("TRANSCRIBE_API_KEY", "sk-wrong-key-0123");
        h.start();
        h.engine.requiredKey = "sk-right-key";
        JsonNode refused = h.setupCheck("engine");
        assertEquals("error", refused.path("status").asText(), refused.toString());
        assertEquals("The transcription engine at " + h.engine.url() + " refuses the API key (401); check TRANSCRIBE_API_KEY",
                refused.path("text").asText());
        assertFalse(refused.toString().contains("sk-wrong"), "the key is never shown");

        h.engine.requiredKey = "sk-wrong-key-0123";
        assertEquals("success", h.setupCheck("engine").path("status").asText(), "the key is sent as the bearer token");

        h.engine.close();
        JsonNode down = h.setupCheck("engine");
        assertEquals("error", down.path("status").asText(), down.toString());
        assertEquals("The transcription engine at " + h.engine.url() + " cannot be reached (ConnectException); "
                + "check TRANSCRIBE_ENGINE_URL", down.path("text").asText());
    }
}
