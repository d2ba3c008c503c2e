package org.harpjava.samples.transcribe;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import org.harpjava.exapp.testkit.FakeTask;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code TRANSCRIBE_ENGINE=vosk}: AppAPI's {@code /init} downloads the model zip (here from a local server that
 * sends it slowly, as a real download goes) with progress reported to the fake Nextcloud, unpacks it into
 * {@code APP_PERSISTENT_STORAGE/vosk-model}; broken archives are errors Nextcloud shows; until a model is there,
 * the setup check warns, uploads get 503 and the live socket says why.
 */
class VoskInitTest {
    private HttpServer models;
    private final Map<String, byte[]> zips = new LinkedHashMap<>();
    private final AtomicInteger downloads = new AtomicInteger();
    private Harness h;

    @BeforeEach
    void start(@TempDir Path storage) throws Exception {
        models = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        models.createContext("/", ex -> {
            downloads.incrementAndGet();
            byte[] zip = zips.get(ex.getRequestURI().getPath());
            if (zip == null) {
                ex.sendResponseHeaders(404, -1);
                ex.close();
                return;
            }
            ex.sendResponseHeaders(200, zip.length);
            try (OutputStream out = ex.getResponseBody()) {
                int piece = zip.length / 8 + 1;
                for (int i = 0; i < zip.length; i += piece) {
                    out.write(zip, i, Math.min(piece, zip.length - i));
                    out.flush();
                    sleep(300);
                }
            }
        });
        models.start();
        h = new Harness(storage);
        h.extraEnv.put("TRANSCRIBE_ENGINE", "vosk");
    }

    @AfterEach
    void stop() {
        h.close();
        models.stop(0);
    }

    private void startWith(String zipPath) throws IOException {
        h.extraEnv.put("TRANSCRIBE_VOSK_MODEL_URL", "http://127.0.0.1:" + models.getAddress().getPort() + zipPath);
        h.start();
    }

    /** The files of a small Vosk model (random bytes: not loadable, but laid out as alphacephei's zips are). */
    private static byte[] modelZip(String... extra) throws IOException {
        Random random = new Random(7);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (String name : List.of("am/final.mdl", "conf/mfcc.conf", "conf/model.conf", "graph/HCLr.fst", "graph/Gr.fst")) {
                zip.putNextEntry(new ZipEntry("vosk-model-test-0.1/" + name));
                byte[] content = new byte[name.startsWith("am") ? 200_000 : 2_000];
                random.nextBytes(content);
                zip.write(content);
            }
            for (String name : extra) {
                zip.putNextEntry(new ZipEntry(name));
                zip.write("extra".getBytes());
            }
        }
        return bytes.toByteArray();
    }

    /** The init status reports until one says it finished or failed. */
    private List<JsonNode> awaitInitEnd() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            List<JsonNode> reports = h.nextcloud.initStatusReports();
            if (!reports.isEmpty()) {
                JsonNode last = reports.get(reports.size() - 1);
                if (last.path("progress").asInt() == 100 || !last.path("error").asText("").isEmpty()) {
                    return reports;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("init did not end: " + h.nextcloud.initStatusReports());
    }

    @Test
    void initDownloadsAndUnpacksTheModelWithProgress() throws Exception {
        zips.put("/vosk-model-test-0.1.zip", modelZip());
        startWith("/vosk-model-test-0.1.zip");
        assertEquals("warning", h.setupCheck("engine").path("status").asText(), "no model before init");

        assertEquals(200, h.appApi().init().status());
        List<JsonNode> reports = awaitInitEnd();
        List<Integer> progress = reports.stream().map(r -> r.path("progress").asInt()).toList();
        assertEquals(0, progress.get(0), reports.toString());
        assertEquals(100, progress.get(progress.size() - 1), reports.toString());
        assertTrue(progress.stream().anyMatch(p -> p > 0 && p < 100), "progress during the download: " + progress);
        assertTrue(reports.stream().allMatch(r -> r.path("error").asText("").isEmpty()), reports.toString());

        Path model = h.storage.resolve("vosk-model");
        assertEquals(200_000, Files.size(model.resolve("am/final.mdl")), "unpacked without its top folder");
        assertTrue(Files.isRegularFile(model.resolve("graph/Gr.fst")));
        try (Stream<Path> left = Files.list(h.storage)) {
            assertTrue(left.noneMatch(p -> p.getFileName().toString().contains("install")), "no work folder is left");
        }
        // The model is in place: the check now loads it, and Vosk refuses these random bytes.
        JsonNode check = h.setupCheck("engine");
        assertEquals("error", check.path("status").asText(), check.toString());
        assertTrue(check.path("text").asText().startsWith("Vosk cannot load the model in " + model), check.toString());

        // AppAPI runs /init again after an update: a complete model is not downloaded again.
        h.nextcloud.clearRequests();
        assertEquals(200, h.appApi().init().status());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (h.nextcloud.initStatusReports().size() < reports.size() + 2 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        List<JsonNode> again = h.nextcloud.initStatusReports();
        assertEquals(100, again.get(again.size() - 1).path("progress").asInt(), again.toString());
        assertEquals(1, downloads.get());
    }

    @Test
    void aCorruptZipIsAnErrorNextcloudShows() throws Exception {
        zips.put("/model.zip", "<html>502 Bad Gateway</html>".getBytes());
        startWith("/model.zip");
        h.appApi().init();
        List<JsonNode> reports = awaitInitEnd();
        String error = reports.get(reports.size() - 1).path("error").asText();
        assertEquals("The model from http://127.0.0.1:" + models.getAddress().getPort()
                + "/model.zip is not a valid zip archive: zip END header not found", error);
        assertFalse(Files.exists(h.storage.resolve("vosk-model")));

        // Without a model: the check warns, uploads are 503, the live socket says why.
        assertEquals("warning", h.setupCheck("engine").path("status").asText());
        var upload = h.post("alice", "/api/transcribe", FakeWhisper.wav(FakeWhisper.pcm(0.5, 8000)));
        assertEquals(503, upload.statusCode(), upload.body());
        assertTrue(upload.body().contains("The Vosk model is not installed yet"), upload.body());
        Harness.Socket socket = h.socket("alice", "/ws/live");
        socket.send("{\"type\":\"start\",\"sampleRate\":16000}");
        JsonNode m = socket.next();
        assertEquals("error", m.path("type").asText(), m.toString());
        assertTrue(m.path("message").asText().startsWith("The Vosk model is not installed yet"), m.toString());
        socket.send(new byte[3200]);
        assertEquals("Send {\"type\":\"start\",\"sampleRate\":16000} before audio", socket.next().path("message").asText(),
                "the session did not start");

        assertEquals("", h.appApi().enable().json().path("error").asText());
        h.nextcloud.queueTask(FakeTask.of(71, AudioTasks.AUDIO2TEXT, "alice", Map.of("input", 9)));
        h.nextcloud.putTaskInputFile(71, 9, FakeWhisper.wav(FakeWhisper.pcm(0.5, 8000)));
        h.appApi().trigger("java_transcribe:audio2text");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (h.nextcloud.taskResult(71).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(AudioTasks.NOT_READY, h.nextcloud.taskResult(71).orElseThrow().path("userFacingErrorMessage").asText());
    }

    @Test
    void anEntryOutsideTheModelFolderIsRefused() throws Exception {
        zips.put("/slip.zip", modelZip("../../../escaped.txt"));
        startWith("/slip.zip");
        h.appApi().init();
        List<JsonNode> reports = awaitInitEnd();
        assertTrue(reports.get(reports.size() - 1).path("error").asText()
                .endsWith("/slip.zip has an entry outside its folder: ../../../escaped.txt"), reports.toString());
        assertFalse(Files.exists(h.storage.resolve("vosk-model")));
        try (Stream<Path> all = Files.walk(h.storage.getParent(), 3)) {
            assertTrue(all.noneMatch(p -> p.getFileName().toString().equals("escaped.txt")));
        }
    }

    @Test
    void theOpenAiEngineHasNothingToInitialise() throws Exception {
        h.extraEnv.put("TRANSCRIBE_ENGINE", "openai");
        h.start();
        assertEquals(404, h.appApi().init().status(), "AppAPI takes 404 as initialised");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
