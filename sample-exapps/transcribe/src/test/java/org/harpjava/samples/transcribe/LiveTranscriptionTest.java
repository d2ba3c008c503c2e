package org.harpjava.samples.transcribe;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.harpjava.samples.transcribe.FakeWhisper.pcm;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Live transcription over the WebSocket, through harp-server in dev mode, of tone bursts separated by silence. */
class LiveTranscriptionTest {
    @TempDir
    Path storage;
    private Harness h;

    private Harness start(String... env) throws Exception {
        h = new Harness(storage);
        for (int i = 0; i < env.length; i += 2) {
            h.extraEnv.put(env[i], env[i + 1]);
        }
        return h.start();
    }

    @AfterEach
    void stop() {
        if (h != null) {
            h.close();
        }
    }

    private static byte[] signal(double... silenceThenTone) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < silenceThenTone.length; i++) {
            out.writeBytes(pcm(silenceThenTone[i], i % 2 == 0 ? 0 : 8000));
        }
        return out.toByteArray();
    }

    /** The messages up to and with {@code stopped}. */
    private static List<JsonNode> untilStopped(Harness.Socket socket) throws InterruptedException {
        List<JsonNode> all = new ArrayList<>();
        JsonNode m;
        do {
            m = socket.next();
            all.add(m);
        } while (!m.path("type").asText().equals("stopped"));
        return all;
    }

    private static List<JsonNode> ofType(List<JsonNode> messages, String type) {
        return messages.stream().filter(m -> m.path("type").asText().equals(type)).toList();
    }

    @Test
    void utterancesBetweenSilencesComeBackAsFinalsWithTheirTimes() throws Exception {
        start();
        Harness.Socket socket = h.socket("alice", "/ws/live");
        socket.send("{\"type\":\"start\",\"sampleRate\":16000,\"language\":\"en\"}");
        assertEquals("{\"type\":\"ready\",\"sampleRate\":16000}", socket.next().toString());
        socket.stream(signal(0.5, 1.0, 1.0, 0.8, 1.0), 100);
        socket.send("{\"type\":\"stop\"}");
        List<JsonNode> messages = untilStopped(socket);

        List<JsonNode> finals = ofType(messages, "final");
        assertEquals(2, finals.size(), messages.toString());
        assertEquals("{\"type\":\"final\",\"text\":\"utterance 1\",\"start\":0.5,\"end\":1.5}", finals.get(0).toString());
        assertEquals("{\"type\":\"final\",\"text\":\"utterance 2\",\"start\":2.5,\"end\":3.3}", finals.get(1).toString());
        assertEquals(4.3, messages.get(messages.size() - 1).path("duration").asDouble());
        // Speech is announced before its final.
        int speech = messages.indexOf(ofType(messages, "partial").get(0));
        assertEquals("{\"type\":\"partial\",\"state\":\"speech\",\"start\":0.5}", messages.get(speech).toString());
        assertTrue(speech < messages.indexOf(finals.get(0)));

        // Each utterance reached the engine as a WAV of its speech and a short tail, with the language.
        assertEquals(2, h.engine.wavs().size());
        assertEquals(1.2, h.engine.seconds(0), 0.001);
        assertEquals(1.0, h.engine.seconds(1), 0.001);
        assertEquals(-1, socket.closeCode);
    }

    @Test
    void longSpeechIsCutAtTheLongestUtteranceAndStopFlushesTheRest() throws Exception {
        start("TRANSCRIBE_MAX_UTTERANCE_SECONDS", "1");
        Harness.Socket socket = h.socket("alice", "/ws/live");
        socket.send("{\"type\":\"start\"}");
        socket.next("ready");
        socket.stream(signal(0, 2.5), 40);
        socket.send("{\"type\":\"stop\"}");
        List<JsonNode> finals = ofType(untilStopped(socket), "final");
        assertEquals(3, finals.size(), finals.toString());
        double[][] times = {{0, 1}, {1, 2}, {2, 2.5}};
        for (int i = 0; i < 3; i++) {
            assertEquals("utterance " + (i + 1), finals.get(i).path("text").asText());
            assertEquals(times[i][0], finals.get(i).path("start").asDouble(), 0.001);
            assertEquals(times[i][1], finals.get(i).path("end").asDouble(), 0.001);
        }

        // The session may start again.
        socket.send("{\"type\":\"start\"}");
        socket.next("ready");
    }

    @Test
    void badInputGetsClearErrorsAndAnOversizedMessageCloses1009() throws Exception {
        start("TRANSCRIBE_MAX_FRAME_KB", "16");
        Harness.Socket socket = h.socket("alice", "/ws/live");
        socket.send(new byte[320]);
        assertEquals("Send {\"type\":\"start\",\"sampleRate\":16000} before audio", socket.next().path("message").asText());
        socket.send("{\"type\":\"start\",\"sampleRate\":44100}");
        assertEquals("Only 16000 Hz mono 16-bit PCM is supported, not 44100 Hz; downsample before sending",
                socket.next().path("message").asText());
        socket.send("hello");
        assertEquals("error", socket.next().path("type").asText());
        socket.send("{\"type\":\"start\",\"language\":\"<script>\"}");
        assertEquals("\"<script>\" is not a language code such as \"en\" or \"pt-BR\"", socket.next().path("message").asText());
        socket.send("{\"type\":\"start\"}");
        socket.next("ready");
        socket.send(new byte[3]);
        assertEquals("Audio messages must hold whole 16-bit samples; this one has 3 bytes", socket.next().path("message").asText());
        socket.send("{\"type\":\"start\"}");
        assertEquals("The session is already started; send {\"type\":\"stop\"} first", socket.next().path("message").asText());

        socket.send(new byte[17 * 1024]);
        assertEquals(1009, socket.awaitClose());
        assertEquals(0, h.engine.wavs().size());
    }

    @Test
    void anEngineThatIsDownGivesAnErrorAndTheSessionGoesOn() throws Exception {
        start();
        h.engine.close();
        Harness.Socket socket = h.socket("alice", "/ws/live");
        socket.send("{\"type\":\"start\"}");
        socket.next("ready");
        socket.stream(signal(0.2, 0.6, 1.0), 100);
        JsonNode error = socket.next("error");
        assertTrue(error.path("message").asText().endsWith("cannot be reached; is it running?"), error.toString());
        assertEquals(0.2, error.path("start").asDouble(), 0.001);
        assertEquals(0.8, error.path("end").asDouble(), 0.001);
        socket.send("{\"type\":\"stop\"}");
        socket.next("stopped");
        socket.send("{\"type\":\"start\"}");
        socket.next("ready");
        assertEquals(-1, socket.closeCode);
    }
}
