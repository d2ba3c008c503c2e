package org.harpjava.samples.transcribe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import org.harpjava.exapp.ExApp;
import org.harpjava.server.HarpServer;
import org.harpjava.server.config.ConfigLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Batch transcription behind harp-server in dev mode, against a local server that answers like whisper.cpp's. */
class TranscribeAppTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "transcribe-test-secret";

    private HttpServer engine;
    private final List<byte[]> uploads = new CopyOnWriteArrayList<>();
    private ExApp app;
    private HarpServer harp;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start(@TempDir Path dir) throws Exception {
        engine = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        engine.createContext("/v1/audio/transcriptions", ex -> {
            uploads.add(ex.getRequestBody().readAllBytes());
            byte[] body = """
                    {"task":"transcribe","language":"en","duration":2.0,"text":" Hello there. General Kenobi.",
                     "segments":[{"id":0,"start":0.0,"end":1.0,"text":" Hello there."},
                                 {"id":1,"start":1.0,"end":2.0,"text":" General Kenobi."}]}"""
                    .getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        engine.start();
        Map<String, String> env = new HashMap<>(Map.of("APP_ID", "java_transcribe", "APP_SECRET", SECRET,
                "APP_VERSION", "1.0.0", "APP_PORT", "0", "NEXTCLOUD_URL", "http://127.0.0.1:9",
                "APP_PERSISTENT_STORAGE", dir.toString(), "TRANSCRIBE_MAX_UPLOAD_MB", "1",
                "TRANSCRIBE_ENGINE_URL", "http://127.0.0.1:" + engine.getAddress().getPort() + "/v1"));
        app = TranscribeApp.start(env);
        harp = HarpServer.start(ConfigLoader.load(Map.of(), Optional.of(Harness.harpConfig(dir, SECRET, app.port()))));
    }

    @AfterEach
    void stop() {
        harp.stop();
        app.close();
        engine.stop(0);
    }

    private HttpResponse<String> upload(String user, byte[] audio) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + harp.port()
                        + "/exapps/java_transcribe/api/transcribe?language=en"))
                .header("Content-Type", "audio/wav").POST(HttpRequest.BodyPublishers.ofByteArray(audio));
        if (user != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":alice-pw").getBytes()));
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A 16 kHz mono 16-bit WAV of {@code seconds} of a tone. */
    static byte[] wav(double seconds, int bits) {
        int samples = (int) (16000 * seconds);
        ByteBuffer b = ByteBuffer.allocate(44 + samples * 2).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(36 + samples * 2).put("WAVE".getBytes());
        b.put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) 1).putInt(16000).putInt(32000)
                .putShort((short) 2).putShort((short) bits);
        b.put("data".getBytes()).putInt(samples * 2);
        for (int i = 0; i < samples; i++) {
            b.putShort((short) (8000 * Math.sin(2 * Math.PI * 440 * i / 16000.0)));
        }
        return b.array();
    }

    @Test
    void aWavUploadIsTranscribedWithTimings() throws Exception {
        byte[] audio = wav(2, 16);
        HttpResponse<String> r = upload("alice", audio);
        assertEquals(200, r.statusCode(), r.body());
        JsonNode body = JSON.readTree(r.body());
        assertEquals("Hello there. General Kenobi.", body.path("text").asText());
        assertEquals(1.0, body.path("segments").path(1).path("start").asDouble());
        assertEquals("General Kenobi.", body.path("segments").path(1).path("text").asText());

        // The engine got the file whole, with the model, format and language fields.
        String multipart = new String(uploads.get(0), StandardCharsets.ISO_8859_1);
        assertTrue(multipart.contains("name=\"response_format\"\r\n\r\nverbose_json"), multipart.substring(0, 400));
        assertTrue(multipart.contains("name=\"language\"\r\n\r\nen"));
        assertTrue(multipart.contains(new String(audio, StandardCharsets.ISO_8859_1)), "the audio bytes are sent unchanged");
    }

    @Test
    void badInputIsRefusedClearly() throws Exception {
        assertEquals(401, upload(null, wav(1, 16)).statusCode());
        HttpResponse<String> notAudio = upload("alice", "hello, not audio at all".getBytes());
        assertEquals(415, notAudio.statusCode());
        assertEquals("The file is not audio this app can read; send WAV, AIFF or AU (PCM, float, mu-law or A-law samples)",
                JSON.readTree(notAudio.body()).path("error").asText());
        HttpResponse<String> tooBig = upload("alice", wav(40, 16));
        assertEquals(413, tooBig.statusCode());
        assertEquals(0, uploads.size(), "nothing reached the engine");
    }

    @Test
    void engineDownIsAClearError() throws Exception {
        engine.stop(0);
        HttpResponse<String> r = upload("alice", wav(1, 16));
        assertEquals(502, r.statusCode());
        assertTrue(JSON.readTree(r.body()).path("error").asText().endsWith("cannot be reached; is it running?"), r.body());
    }
}
