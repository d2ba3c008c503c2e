package org.harpjava.samples.transcribe;

import org.harpjava.exapp.lifecycle.SetupCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Vosk engine up to loading its model. No Vosk model can be fetched where these tests run, so recognition
 * itself is not exercised; this proves the native library loads here and every missing piece is a clear error.
 */
class VoskEngineTest {
    @TempDir
    Path storage;

    private VoskEngine engine(Path dir) {
        return new VoskEngine(new VoskModel(dir, URI.create("http://127.0.0.1:9/model.zip")));
    }

    private Path speech() throws Exception {
        Path wav = storage.resolve("speech.wav");
        Wav.write(wav, FakeWhisper.pcm(0.5, 8000));
        return wav;
    }

    @Test
    void aMissingModelIsNotReadyYet() throws Exception {
        VoskEngine vosk = engine(storage.resolve("vosk-model"));
        EngineException e = assertThrows(EngineException.NotReady.class, () -> vosk.transcribe(speech(), Optional.empty()));
        assertEquals("The Vosk model is not installed yet: it is downloaded from TRANSCRIBE_VOSK_MODEL_URL when "
                + "Nextcloud initialises the app", e.getMessage());
        assertThrows(EngineException.NotReady.class, () -> vosk.recognise(Optional.empty()));
        SetupCheck.Result check = vosk.check();
        assertEquals(SetupCheck.Status.WARNING, check.status());
        assertEquals(e.getMessage(), check.text());
    }

    @Test
    void anIncompleteModelSaysWhatIsMissing() throws Exception {
        Path dir = storage.resolve("vosk-model");
        Files.createDirectories(dir.resolve("am"));
        Files.writeString(dir.resolve("am/final.mdl"), "weights");
        Files.createDirectories(dir.resolve("graph"));
        Files.writeString(dir.resolve("graph/HCLr.fst"), "half a graph");
        assertEquals(List.of("conf/mfcc.conf", "graph/HCLG.fst (or graph/HCLr.fst and graph/Gr.fst)"), VoskModel.missing(dir));

        VoskEngine vosk = engine(dir);
        EngineException e = assertThrows(EngineException.NotReady.class, () -> vosk.transcribe(speech(), Optional.empty()));
        assertEquals("The Vosk model in " + dir + " is incomplete (missing conf/mfcc.conf, graph/HCLG.fst (or "
                + "graph/HCLr.fst and graph/Gr.fst)); initialise the app again to replace it", e.getMessage());
        assertEquals(SetupCheck.Status.ERROR, vosk.check().status());
    }

    @Test
    void theNativeLibraryLoadsAndRefusesABrokenModelClearly() throws Exception {
        Path dir = storage.resolve("vosk-model");
        for (String file : List.of("am/final.mdl", "conf/mfcc.conf", "conf/model.conf", "graph/HCLG.fst", "graph/words.txt")) {
            Files.createDirectories(dir.resolve(file).getParent());
            Files.writeString(dir.resolve(file), "not a Kaldi file\n");
        }
        assertTrue(VoskModel.missing(dir).isEmpty());

        VoskEngine vosk = engine(dir);
        EngineException e = assertThrows(EngineException.class, () -> vosk.transcribe(speech(), Optional.empty()));
        // Vosk itself (libvosk.so from the jar) read the folder and refused it: the library is loaded and working.
        assertFalse(e instanceof EngineException.NotReady);
        assertEquals("Vosk cannot load the model in " + dir + " (Vosk's reason is in the app's output); delete the "
                + "folder and initialise the app again", e.getMessage());
        SetupCheck.Result check = vosk.check();
        assertEquals(SetupCheck.Status.ERROR, check.status());
        assertEquals(e.getMessage(), check.text());
    }
}
