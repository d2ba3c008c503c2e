package org.harpjava.exapp.models;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Installing zip archives served by a local HTTP server. */
class ModelInstallerTest {
    private HttpServer server;
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final List<Integer> progress = new CopyOnWriteArrayList<>();
    @TempDir
    Path storage;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            requests.incrementAndGet();
            byte[] body = files.get(ex.getRequestURI().getPath());
            if (body == null) {
                ex.sendResponseHeaders(404, -1);
            } else {
                ex.sendResponseHeaders(200, body.length);
                ex.getResponseBody().write(body);
            }
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    private ModelInstaller installer(String path) {
        return ModelInstaller.builder(url(path), storage.resolve("model"))
                .complete(dir -> Files.isRegularFile(dir.resolve("am/final.mdl"))).build();
    }

    /** A zip archive of {@code entries}, name to content. */
    static byte[] zip(Map<String, String> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (var e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    private List<String> storageContents() throws IOException {
        try (Stream<Path> s = Files.list(storage)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void installsTheArchiveWithProgressAndUnwrapsItsFolder() throws Exception {
        files.put("/m.zip", zip(Map.of("model-1/am/final.mdl", "weights", "model-1/conf/mfcc.conf", "--x=y")));
        assertTrue(installer("/m.zip").install(progress::add));

        assertEquals("weights", Files.readString(storage.resolve("model/am/final.mdl")));
        assertEquals("--x=y", Files.readString(storage.resolve("model/conf/mfcc.conf")));
        assertEquals(List.of("model"), storageContents(), "the download and the unpacked copy are gone");
        assertTrue(progress.contains(89), progress.toString());
        assertTrue(progress.stream().anyMatch(p -> p >= 90 && p <= 99), progress.toString());
        assertTrue(progress.stream().allMatch(p -> p >= 0 && p <= 99), progress.toString());
    }

    @Test
    void aCompleteModelIsNotFetchedAgainAndAnIncompleteOneIsReplaced() throws Exception {
        Files.createDirectories(storage.resolve("model/am"));
        Files.writeString(storage.resolve("model/half"), "left over");
        files.put("/m.zip", zip(Map.of("am/final.mdl", "weights")));
        assertTrue(installer("/m.zip").install(progress::add));
        assertFalse(Files.exists(storage.resolve("model/half")), "the incomplete model was replaced whole");
        assertEquals(1, requests.get());

        assertFalse(installer("/m.zip").install(progress::add));
        assertEquals(1, requests.get(), "nothing was downloaded the second time");
    }

    @Test
    void anEntryOutsideTheFolderIsRefused() throws Exception {
        files.put("/slip.zip", zip(Map.of("model/am/final.mdl", "weights", "../../evil.txt", "owned")));
        ModelInstallException e = assertThrows(ModelInstallException.class, () -> installer("/slip.zip").install(progress::add));
        assertTrue(e.getMessage().endsWith("has an entry outside its folder: ../../evil.txt"), e.getMessage());
        assertFalse(Files.exists(storage.resolve("evil.txt")));
        assertFalse(Files.exists(storage.getParent().resolve("evil.txt")));
        assertEquals(List.of(), storageContents(), "nothing is left behind");
    }

    @Test
    void aCorruptArchiveIsAClearError() {
        files.put("/bad.zip", "<html>Not Found</html>, or half a zip".getBytes(StandardCharsets.UTF_8));
        ModelInstallException e = assertThrows(ModelInstallException.class, () -> installer("/bad.zip").install(progress::add));
        assertTrue(e.getMessage().startsWith("The model from " + url("/bad.zip") + " is not a valid zip archive"), e.getMessage());
    }

    @Test
    void sizeAndEntryLimitsAreEnforced() throws Exception {
        files.put("/big.zip", zip(Map.of("am/final.mdl", "x".repeat(10_000))));
        ModelInstaller small = ModelInstaller.builder(url("/big.zip"), storage.resolve("model")).maxBytes(5_000).build();
        assertTrue(assertThrows(ModelInstallException.class, () -> small.install(progress::add)).getMessage()
                .contains("unpacks to more than the limit of 5000 bytes"));
        ModelInstaller tiny = ModelInstaller.builder(url("/big.zip"), storage.resolve("model")).maxBytes(100).build();
        assertTrue(assertThrows(ModelInstallException.class, () -> tiny.install(progress::add)).getMessage()
                .contains("bytes, more than the limit of 100"));

        files.put("/many.zip", zip(Map.of("a", "1", "b", "2", "c", "3")));
        ModelInstaller few = ModelInstaller.builder(url("/many.zip"), storage.resolve("model")).maxEntries(2).build();
        assertTrue(assertThrows(ModelInstallException.class, () -> few.install(progress::add)).getMessage()
                .endsWith("has 3 entries, more than the limit of 2"));
        assertFalse(Files.exists(storage.resolve("model")));
    }

    @Test
    void anArchiveWithoutTheModelIsRefused() throws Exception {
        files.put("/other.zip", zip(Map.of("README", "not a model")));
        ModelInstallException e = assertThrows(ModelInstallException.class, () -> installer("/other.zip").install(progress::add));
        assertTrue(e.getMessage().endsWith("does not hold a complete model"), e.getMessage());
        assertFalse(Files.exists(storage.resolve("model")));
    }

    @Test
    void httpErrorsNameTheSourceWithoutCredentials() {
        URI secret = URI.create("http://user:hunter2@127.0.0.1:" + server.getAddress().getPort() + "/missing.zip?token=s3cr3t");
        ModelInstaller missing = ModelInstaller.builder(secret, storage.resolve("model")).build();
        ModelInstallException e = assertThrows(ModelInstallException.class, () -> missing.install(progress::add));
        assertEquals("Downloading the model from " + url("/missing.zip") + " failed: HTTP 404", e.getMessage());

        server.stop(0);
        ModelInstallException down = assertThrows(ModelInstallException.class, () -> installer("/m.zip").install(progress::add));
        assertTrue(down.getMessage().startsWith("Cannot connect to " + url("/m.zip")), down.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ModelInstaller.builder(URI.create("file:///etc/passwd"), storage));
    }

    @Test
    void aSourceThatStopsSendingIsGivenUpAfterTheStallTimeout() throws Exception {
        HttpServer slow = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        slow.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        slow.createContext("/", ex -> {
            try {
                if (ex.getRequestURI().getPath().equals("/silent.zip")) {
                    Thread.sleep(5_000);
                }
                ex.sendResponseHeaders(200, 1_000_000);
                ex.getResponseBody().write(new byte[100_000]);
                ex.getResponseBody().flush();
                Thread.sleep(5_000);
            } catch (InterruptedException | IOException e) {
                // the installer gave up
            }
            ex.close();
        });
        slow.start();
        try {
            String base = "http://127.0.0.1:" + slow.getAddress().getPort();
            for (String path : List.of("/stalls.zip", "/silent.zip")) {
                ModelInstaller installer = ModelInstaller.builder(URI.create(base + path), storage.resolve("model"))
                        .stallTimeout(java.time.Duration.ofSeconds(1)).build();
                long start = System.nanoTime();
                ModelInstallException e = assertThrows(ModelInstallException.class, () -> installer.install(progress::add));
                long millis = (System.nanoTime() - start) / 1_000_000;
                assertTrue(millis >= 900 && millis < 4_000, path + " given up after " + millis + " ms");
                if (path.equals("/stalls.zip")) {
                    assertEquals("Downloading the model from " + base + path + " stalled: nothing received for 1 s after "
                            + "100000 bytes", e.getMessage());
                } else {
                    assertTrue(e.getMessage().startsWith("Downloading the model from " + base + path + " failed"),
                            e.getMessage());
                }
                assertFalse(Thread.currentThread().isInterrupted(), "the caller's thread is left uninterrupted");
                assertEquals(List.of(), storageContents(), "nothing is left behind");
            }
        } finally {
            slow.stop(0);
        }
    }

    @Test
    void nonsensicalLimitsAreRefusedWhenBuilt() {
        ModelInstaller.Builder b = ModelInstaller.builder(URI.create("https://models.example/m.zip"), storage);
        assertEquals("maxBytes must be at least 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> b.maxBytes(0)).getMessage());
        assertEquals("maxEntries must be at least 1, got -1",
                assertThrows(IllegalArgumentException.class, () -> b.maxEntries(-1)).getMessage());
        assertEquals("connectTimeout must be positive, got PT0S",
                assertThrows(IllegalArgumentException.class, () -> b.connectTimeout(java.time.Duration.ZERO)).getMessage());
        assertEquals("stallTimeout must be positive, got PT-1S",
                assertThrows(IllegalArgumentException.class, () -> b.stallTimeout(java.time.Duration.ofSeconds(-1))).getMessage());
    }
}
