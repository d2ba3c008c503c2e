package org.harpjava.samples.transcribe;

import com.fasterxml.jackson.databind.JsonNode;
import org.harpjava.exapp.testkit.FakeTask;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The app as a {@code core:audio2text} TaskProcessing provider, against the SDK's fake Nextcloud. */
class TaskProcessingTest {
    private Harness h;

    @BeforeEach
    void start(@TempDir Path storage) throws Exception {
        h = new Harness(storage).start();
        assertEquals("", h.appApi().enable().json().path("error").asText());
    }

    @AfterEach
    void stop() {
        h.close();
    }

    @Test
    void enablingRegistersTheProviderAndThePage() throws Exception {
        JsonNode menu = h.nextcloud.registered("top-menu").get("transcribe");
        assertEquals("img/transcribe.svg", menu.path("icon").asText(), menu.toString());
        assertTrue(h.nextcloud.registered("script").values().stream()
                .anyMatch(s -> s.path("path").asText().equals("js/transcribe")), h.nextcloud.registered("script").toString());
        // The page and its script through harp-server, the icon without a user, as Nextcloud fetches it.
        assertTrue(h.get("alice", "/").body().contains("js/transcribe.js"));
        String script = h.get("alice", "/js/transcribe.js").body();
        assertTrue(script.contains("new WebSocket") && script.contains("/ws/live") && script.contains("getUserMedia"));
        var icon = h.get(null, "/img/transcribe.svg");
        assertEquals(200, icon.statusCode());
        assertEquals("image/svg+xml; charset=utf-8", icon.headers().firstValue("Content-Type").orElse(""));
        assertEquals(401, h.get(null, "/js/transcribe.js").statusCode(), "dev mode asks for a login");

        JsonNode provider = h.nextcloud.registered("task_processing").get("java_transcribe:audio2text");
        assertEquals("core:audio2text", provider.path("provider").path("task_type").asText(), provider.toString());
        assertEquals("", h.appApi().disable().json().path("error").asText());
        assertTrue(h.nextcloud.registered("task_processing").isEmpty());
        assertTrue(h.nextcloud.registered("top-menu").isEmpty());
    }

    @Test
    void anAudioFileIsTranscribedWithProgress() throws Exception {
        byte[] wav = FakeWhisper.wav(FakeWhisper.pcm(1.5, 8000));
        h.nextcloud.queueTask(FakeTask.of(51, AudioTasks.AUDIO2TEXT, "alice", Map.of("input", 777)));
        h.nextcloud.putTaskInputFile(51, 777, wav);
        assertEquals(200, h.appApi().trigger("java_transcribe:audio2text").status());

        JsonNode result = awaitResult(51);
        assertEquals("utterance 1", result.path("output").path("output").asText(), result.toString());
        assertTrue(result.path("errorMessage").isNull(), result.toString());
        assertArrayEquals(wav, h.engine.wavs().get(0), "the file reaches the engine unchanged");
        List<Double> progress = h.nextcloud.taskProgress(51);
        assertEquals(List.of(0.1, 0.9), progress);
        try (var files = Files.list(h.storage.resolve("tmp"))) {
            assertEquals(0, files.count(), "the downloaded file is deleted");
        }
    }

    @Test
    void unsupportedAudioAndAnEngineThatIsDownFailTheTaskClearly() throws Exception {
        h.nextcloud.queueTask(FakeTask.of(52, AudioTasks.AUDIO2TEXT, "alice", Map.of("input", 1)));
        h.nextcloud.putTaskInputFile(52, 1, "ID3 this is an mp3".getBytes(StandardCharsets.UTF_8));
        h.appApi().trigger("java_transcribe:audio2text");
        assertEquals(AudioTasks.UNSUPPORTED + "The file is not audio this app can read; send WAV, AIFF or AU (PCM, float, mu-law or A-law samples)",
                awaitResult(52).path("userFacingErrorMessage").asText());

        h.engine.close();
        h.nextcloud.queueTask(FakeTask.of(53, AudioTasks.AUDIO2TEXT, "alice", Map.of("input", 2)));
        h.nextcloud.putTaskInputFile(53, 2, FakeWhisper.wav(FakeWhisper.pcm(0.5, 8000)));
        h.appApi().trigger("java_transcribe:audio2text");
        JsonNode down = awaitResult(53);
        assertEquals(AudioTasks.ENGINE_DOWN, down.path("userFacingErrorMessage").asText());
        assertTrue(down.path("errorMessage").asText().endsWith("cannot be reached; is it running?"), down.toString());
        assertEquals(0, h.engine.wavs().size());
    }

    private JsonNode awaitResult(long taskId) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            var result = h.nextcloud.taskResult(taskId);
            if (result.isPresent()) {
                return result.get();
            }
            Thread.sleep(20);
        }
        throw new AssertionError("task " + taskId + " got no result");
    }
}
