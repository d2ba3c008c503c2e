package org.harpjava.server.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.HeaderNames;
import org.harpjava.server.HarpServer;
import org.harpjava.server.testing.FakeNextcloud;
import org.harpjava.server.testing.Harp;
import org.harpjava.server.testing.Http;
import org.harpjava.server.testing.RawConnection;
import org.harpjava.server.testing.TestExApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bodies stream through the proxy in both directions: large uploads and downloads arrive intact (SHA-256 checked)
 * although the test JVM's heap (-Xmx192m) is far smaller than the bodies, and slow streams reach the other side
 * piece by piece instead of at the end.
 */
class StreamingTest {
    private static final String KEY = "streaming-key";
    private static final long GIB = 1L << 30;
    private static final long SEED = 7;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> HASHES = new ConcurrentHashMap<>();

    private static FakeNextcloud nextcloud;
    private static TestExApp exapp;
    private static HarpServer harp;
    private static final AtomicLong trickled = new AtomicLong();

    @BeforeAll
    static void start() throws Exception {
        exapp = new TestExApp().route("/trickle", (req, res) -> {
            byte[] buf = new byte[1024];
            try (InputStream in = req.content().inputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    trickled.addAndGet(n);
                }
            }
            res.send("got " + trickled.get());
        });
        nextcloud = new FakeNextcloud(KEY).app("stream", "secret", exapp.port(),
                "[{\"url\":\"^/\",\"access_level\":0}]");
        harp = Harp.start(Harp.nextcloud(nextcloud, KEY));
    }

    @AfterAll
    static void stop() {
        harp.stop();
        nextcloud.close();
        exapp.close();
    }

    private static String expectedSha(long size, long seed) {
        return HASHES.computeIfAbsent(size + "/" + seed, k -> TestExApp.sha256(size, seed));
    }

    private static JsonNode upload(HttpRequest.BodyPublisher body) throws Exception {
        HttpResponse<String> res = Http.send(Http.request(harp.port(), "/exapps/stream/upload")
                .timeout(java.time.Duration.ofMinutes(2)).POST(body).build());
        assertEquals(200, res.statusCode(), res.body());
        return JSON.readTree(res.body());
    }

    @Test
    void chunkedUploadOfOneGibArrivesIntact() throws Exception {
        JsonNode got = upload(HttpRequest.BodyPublishers.ofInputStream(() -> TestExApp.bytes(GIB, SEED)));
        assertEquals(GIB, got.get("bytes").asLong());
        assertEquals(expectedSha(GIB, SEED), got.get("sha256").asText());
    }

    @Test
    void contentLengthUploadOfOneGibArrivesIntact() throws Exception {
        JsonNode got = upload(HttpRequest.BodyPublishers.fromPublisher(
                HttpRequest.BodyPublishers.ofInputStream(() -> TestExApp.bytes(GIB, SEED)), GIB));
        assertEquals(GIB, got.get("bytes").asLong());
        assertEquals(expectedSha(GIB, SEED), got.get("sha256").asText());
    }

    @Test
    void smallContentLengthUploadArrivesByteForByte() throws Exception {
        byte[] body = TestExApp.bytes(100_000, 3).readAllBytes();
        JsonNode got = upload(HttpRequest.BodyPublishers.ofByteArray(body));
        assertEquals(body.length, got.get("bytes").asLong());
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body)),
                got.get("sha256").asText());
    }

    private static String download(String query, long size, boolean fixed) throws Exception {
        HttpResponse<InputStream> res = Http.client().send(Http.request(harp.port(), "/exapps/stream/download?" + query)
                        .timeout(java.time.Duration.ofMinutes(2)).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, res.statusCode());
        assertEquals(fixed, res.headers().firstValue("content-length").isPresent(), res.headers().toString());
        if (fixed) {
            assertEquals(size, res.headers().firstValueAsLong("content-length").getAsLong());
        }
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        long total = 0;
        byte[] buf = new byte[64 * 1024];
        try (InputStream in = res.body()) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                sha.update(buf, 0, n);
                total += n;
            }
        }
        assertEquals(size, total);
        return HexFormat.of().formatHex(sha.digest());
    }

    @Test
    void chunkedDownloadOfOneGibArrivesIntact() throws Exception {
        assertEquals(expectedSha(GIB, SEED), download("size=" + GIB + "&seed=" + SEED, GIB, false));
    }

    @Test
    void contentLengthDownloadArrivesIntact() throws Exception {
        long size = 256L << 20;
        assertEquals(expectedSha(size, 11), download("size=" + size + "&seed=11&fixed=true", size, true));
    }

    /**
     * A client that stops reading a download (a paused media player does) while the ExApp keeps sending. Responses go
     * through Helidon's queued writer, which gives up once its queue has been full for 10 s.
     */
    @ParameterizedTest
    @ValueSource(ints = {3, 12})
    void downloadSurvivesAPausedReaderUpToTheWriterLimit(int pauseSeconds) throws Exception {
        long size = 64L << 20;
        try (java.net.Socket s = new java.net.Socket()) {
            s.setReceiveBufferSize(64 * 1024);
            s.connect(new java.net.InetSocketAddress("127.0.0.1", harp.port()));
            s.getOutputStream().write(("GET /exapps/stream/download?size=" + size + "&seed=5&fixed=true HTTP/1.1\r\n"
                    + "Host: test\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            Thread.sleep(pauseSeconds * 1000L);
            InputStream in = s.getInputStream();
            String head = new String(in.readNBytes(4096), StandardCharsets.ISO_8859_1);
            int end = head.indexOf("\r\n\r\n");
            assertTrue(head.startsWith("HTTP/1.1 200") && end > 0, head);
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] first = head.substring(end + 4).getBytes(StandardCharsets.ISO_8859_1);
            sha.update(first);
            long total = first.length;
            byte[] buf = new byte[64 * 1024];
            int n;
            try {
                while ((n = in.read(buf)) >= 0) {
                    sha.update(buf, 0, n);
                    total += n;
                }
            } catch (java.net.SocketException e) {
                // reset by the proxy: counted as a cut download below
            }
            if (pauseSeconds < 10) {
                assertEquals(size, total);
                assertEquals(expectedSha(size, 5), HexFormat.of().formatHex(sha.digest()));
            } else {
                assertTrue(total < size, "a reader paused for " + pauseSeconds + " s is cut, got " + total);
            }
        }
        assertEquals(200, Http.get(harp.port(), "/exapps/stream/download?size=10&seed=1").statusCode());
    }

    @Test
    void serverSentEventsArriveOneByOne() throws Exception {
        int n = 5;
        long gap = 400;
        List<Long> arrivals = new ArrayList<>();
        long start = System.nanoTime();
        try (RawConnection c = new RawConnection(harp.port())) {
            c.sendHead("GET /exapps/stream/sse?n=" + n + "&gapMs=" + gap + " HTTP/1.1\r\nHost: test\r\nAccept: text/event-stream");
            InputStream in = c.inputStream();
            StringBuilder seen = new StringBuilder();
            int b;
            while (arrivals.size() < n && (b = in.read()) >= 0) {
                seen.append((char) b);
                if (seen.indexOf("data: event " + arrivals.size() + "\n\n") >= 0) {
                    arrivals.add((System.nanoTime() - start) / 1_000_000);
                }
            }
        }
        assertEquals(n, arrivals.size(), "all events arrive");
        long last = arrivals.get(n - 1);
        for (int i = 0; i < n - 1; i++) {
            assertTrue(arrivals.get(i) + gap * (n - 1 - i) / 2 < last,
                    "event " + i + " arrived at " + arrivals.get(i) + " ms, not promptly before the last at " + last + " ms");
        }
        assertTrue(arrivals.get(0) < 1500, "first event after " + arrivals.get(0) + " ms");
    }

    @ParameterizedTest(name = "chunked: {0}")
    @ValueSource(booleans = {true, false})
    void slowUploadReachesTheExAppPieceByPiece(boolean chunked) throws Exception {
        trickled.set(0);
        try (RawConnection c = new RawConnection(harp.port())) {
            c.sendHead("POST /exapps/stream/trickle HTTP/1.1\r\nHost: test\r\n"
                    + (chunked ? "Transfer-Encoding: chunked" : "Content-Length: 400"));
            byte[] piece = "x".repeat(100).getBytes(StandardCharsets.US_ASCII);
            for (int i = 1; i <= 4; i++) {
                if (chunked) {
                    c.sendChunk(piece);
                } else {
                    c.send(piece);
                }
                long want = 100L * i;
                long deadline = System.nanoTime() + 5_000_000_000L;
                while (trickled.get() < want && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
                assertEquals(want, trickled.get(), "piece " + i + " reached the ExApp before the next was sent");
            }
            if (chunked) {
                c.sendChunk(new byte[0]);
            }
            RawConnection.Response res = c.read(false);
            assertEquals(200, res.status());
            assertEquals("got 400", res.text());
        }
    }

    @Test
    void bodilessAnswersKeepTheConnectionUsable() throws Exception {
        try (RawConnection c = new RawConnection(harp.port())) {
            c.sendHead("GET /exapps/stream/empty/204 HTTP/1.1\r\nHost: test");
            RawConnection.Response noContent = c.read(true);
            assertEquals(204, noContent.status());
            assertFalse(noContent.headers().containsKey("transfer-encoding"));
            // Helidon (4.5.0 too) adds "Content-Length: 0" to every 204; no other length may appear.
            assertTrue(noContent.header("content-length").map("0"::equals).orElse(true));

            c.sendHead("GET /exapps/stream/empty/304 HTTP/1.1\r\nHost: test\r\nIf-None-Match: \"v1\"");
            RawConnection.Response notModified = c.read(true);
            assertEquals(304, notModified.status());
            assertEquals("\"v1\"", notModified.header(HeaderNames.ETAG.defaultCase()).orElse(null));

            c.sendHead("HEAD /exapps/stream/download?size=5000&seed=1&fixed=true HTTP/1.1\r\nHost: test");
            RawConnection.Response head = c.read(true);
            assertEquals(200, head.status());
            assertEquals("5000", head.header("content-length").orElse(null), "the length a GET would have");

            c.sendHead("GET /exapps/stream/download?size=3000&seed=2 HTTP/1.1\r\nHost: test");
            RawConnection.Response after = c.read(false);
            assertEquals(200, after.status());
            assertArrayEquals(TestExApp.bytes(3000, 2).readAllBytes(), after.body(),
                    "no stray bytes of the bodiless answers precede the next response");
        }
    }
}
