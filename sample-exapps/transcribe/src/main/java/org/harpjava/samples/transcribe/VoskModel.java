package org.harpjava.samples.transcribe;

import org.harpjava.exapp.models.ModelInstaller;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The folder of a Vosk model, as alphacephei publishes them ({@code vosk-model-small-en-us-0.15.zip} unpacks to
 * {@code am/final.mdl}, {@code conf/mfcc.conf}, {@code graph/...}), and how it gets there: downloaded from
 * {@code TRANSCRIBE_VOSK_MODEL_URL} into {@code APP_PERSISTENT_STORAGE/vosk-model} when Nextcloud initialises the app.
 *
 * @param dir    where the model is
 * @param source the zip archive it is installed from
 */
record VoskModel(Path dir, URI source) {
    /** The largest model archive, and the most it may unpack to (the big English model is 2.7 GB unpacked). */
    static final long MAX_BYTES = 6L * 1024 * 1024 * 1024;
    static final int MAX_ENTRIES = 10_000;

    /** The files a model needs that {@code dir} lacks; empty when the model is complete. */
    static List<String> missing(Path dir) {
        List<String> missing = new ArrayList<>();
        for (String file : List.of("am/final.mdl", "conf/mfcc.conf")) {
            if (!Files.isRegularFile(dir.resolve(file))) {
                missing.add(file);
            }
        }
        boolean fullGraph = Files.isRegularFile(dir.resolve("graph/HCLG.fst"));
        boolean smallGraph = Files.isRegularFile(dir.resolve("graph/HCLr.fst")) && Files.isRegularFile(dir.resolve("graph/Gr.fst"));
        if (!fullGraph && !smallGraph) {
            missing.add("graph/HCLG.fst (or graph/HCLr.fst and graph/Gr.fst)");
        }
        return missing;
    }

    boolean installed() {
        return Files.isDirectory(dir) && missing(dir).isEmpty();
    }

    /** The installer that {@code /init} runs: skips a complete model, replaces an incomplete one. */
    ModelInstaller installer() {
        return ModelInstaller.builder(source, dir)
                .complete(d -> missing(d).isEmpty())
                .maxBytes(MAX_BYTES)
                .maxEntries(MAX_ENTRIES)
                .build();
    }
}
