package org.harpjava.samples.transcribe;

import org.harpjava.exapp.lifecycle.SetupCheck;
import org.vosk.LibVosk;
import org.vosk.LogLevel;
import org.vosk.Model;
import org.vosk.Recognizer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Speech recognition in the process with <a href="https://alphacephei.com/vosk/">Vosk</a> (Kaldi), its native
 * library loaded from the {@code com.alphacephei:vosk} jar. The model ({@link VoskModel}) is loaded on first use and
 * shared by every recogniser; one model knows one language, so language hints are ignored. Batch files and tasks go
 * through a recogniser whole; the live route streams into one ({@link VoskRecognition}).
 */
public final class VoskEngine implements StreamingEngine {
    private static final System.Logger LOG = System.getLogger(VoskEngine.class.getName());

    private final VoskModel folder;
    private Model model;

    VoskEngine(VoskModel folder) {
        this.folder = folder;
    }

    @Override
    public String describe() {
        return "vosk:" + folder.dir();
    }

    @Override
    public Transcript transcribe(Path audio, Optional<String> language) throws EngineException {
        List<Transcript.Segment> segments = new ArrayList<>();
        try (VoskRecognition recognition = recognise(language); InputStream in = Files.newInputStream(audio)) {
            in.skipNBytes(Wav.HEADER_BYTES);
            byte[] buffer = new byte[32 * 1024];
            int n;
            while ((n = in.readNBytes(buffer, 0, buffer.length)) > 0) {
                recognition.accept(Arrays.copyOf(buffer, n & ~1))
                        .ifPresent(h -> add(segments, h));
            }
            recognition.finish().ifPresent(h -> add(segments, h));
        } catch (IOException e) {
            throw new EngineException("The audio file could not be read: " + e.getMessage(), e);
        }
        return new Transcript(String.join(" ", segments.stream().map(Transcript.Segment::text).toList()), segments);
    }

    private static void add(List<Transcript.Segment> segments, StreamingEngine.Heard heard) {
        if (heard instanceof StreamingEngine.Utterance u) {
            segments.add(new Transcript.Segment(u.start(), u.end(), u.text()));
        }
    }

    @Override
    public VoskRecognition recognise(Optional<String> language) throws EngineException {
        try {
            return new VoskRecognition(new Recognizer(model(), Wav.SAMPLE_RATE));
        } catch (IOException e) {
            throw new EngineException("Vosk cannot start a recogniser; see the app's log", e);
        }
    }

    @Override
    public SetupCheck.Result check() {
        if (!folder.installed()) {
            return SetupCheck.Result.of(Files.isDirectory(folder.dir()) ? SetupCheck.Status.ERROR : SetupCheck.Status.WARNING,
                    notInstalled());
        }
        try {
            model();
            return SetupCheck.Result.of(SetupCheck.Status.SUCCESS, "The Vosk model in " + folder.dir() + " is loaded");
        } catch (EngineException e) {
            return SetupCheck.Result.of(SetupCheck.Status.ERROR, e.getMessage());
        }
    }

    /** The model, loaded on first use. */
    private synchronized Model model() throws EngineException {
        if (model != null) {
            return model;
        }
        if (!folder.installed()) {
            throw new EngineException.NotReady(notInstalled());
        }
        try {
            LibVosk.setLogLevel(LogLevel.WARNINGS);
            model = new Model(folder.dir().toString());
            LOG.log(System.Logger.Level.INFO, "Vosk model loaded from " + folder.dir());
            return model;
        } catch (IOException e) {
            throw new EngineException("Vosk cannot load the model in " + folder.dir()
                    + " (Vosk's reason is in the app's output); delete the folder and initialise the app again", e);
        } catch (LinkageError e) {
            throw new EngineException("Vosk's native library cannot be loaded on this machine: " + e.getMessage(), e);
        }
    }

    private String notInstalled() {
        if (!Files.isDirectory(folder.dir())) {
            return "The Vosk model is not installed yet: it is downloaded from TRANSCRIBE_VOSK_MODEL_URL when Nextcloud "
                    + "initialises the app";
        }
        return "The Vosk model in " + folder.dir() + " is incomplete (missing " + String.join(", ", VoskModel.missing(folder.dir()))
                + "); initialise the app again to replace it";
    }
}
