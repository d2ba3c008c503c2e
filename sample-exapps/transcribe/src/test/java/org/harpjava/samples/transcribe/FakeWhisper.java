package org.harpjava.samples.transcribe;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local server that answers {@code POST /v1/audio/transcriptions} like whisper.cpp's: request {@code n} (from 1)
 * is transcribed as "utterance n", with one segment as long as the WAV it got. Keeps the WAV files it got. Answers
 * {@code GET /v1/models} like LocalAI's with {@link #models}, or 404 like whisper.cpp's when that is empty, and
 * refuses it with 401 unless {@link #requiredKey} (when set) comes as the bearer token.
 */
final class FakeWhisper implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final AtomicInteger count = new AtomicInteger();
    private final List<byte[]> wavs = new CopyOnWriteArrayList<>();
    private volatile CountDownLatch answers = new CountDownLatch(0);
    volatile List<String> models = List.of("whisper-1");
    volatile String requiredKey;

    private FakeWhisper(HttpServer server) {
        this.server = server;
    }

    static FakeWhisper start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        FakeWhisper fake = new FakeWhisper(server);
        server.createContext("/v1/audio/transcriptions", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            byte[] wav = wavIn(body);
            fake.wavs.add(wav);
            try {
                fake.answers.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            int n = fake.count.incrementAndGet();
            double seconds = wav.length < 44 ? 0 : (wav.length - 44) / 32000.0;
            var answer = JSON.createObjectNode().put("text", " utterance " + n).put("duration", seconds);
            answer.putArray("segments").addObject().put("start", 0.0).put("end", seconds).put("text", " utterance " + n);
            byte[] out = answer.toString().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(200, out.length);
            ex.getResponseBody().write(out);
            ex.close();
        });
        server.createContext("/v1/models", ex -> {
            String key = fake.requiredKey;
            int status;
            byte[] out = new byte[0];
            if (key != null && !("Bearer " + key).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                status = 401;
                out = "{\"error\":{\"message\":\"invalid api key\"}}".getBytes(StandardCharsets.UTF_8);
            } else if (fake.models.isEmpty()) {
                status = 404;
            } else {
                var answer = JSON.createObjectNode().put("object", "list");
                fake.models.forEach(m -> answer.withArray("data").addObject().put("id", m).put("object", "model"));
                status = 200;
                out = answer.toString().getBytes(StandardCharsets.UTF_8);
            }
            ex.sendResponseHeaders(status, out.length == 0 ? -1 : out.length);
            ex.getResponseBody().write(out);
            ex.close();
        });
        server.start();
        return fake;
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    /** Keeps the answers back (the WAV files are still received) until {@link #answer()}. */
    void holdAnswers() {
        answers = new CountDownLatch(1);
    }

    /** Sends the answers held back, and answers at once again. */
    void answer() {
        answers.countDown();
    }

    /** The WAV files received, in order. */
    List<byte[]> wavs() {
        return wavs;
    }

    /** Seconds of 16 kHz mono audio in WAV file {@code i}. */
    double seconds(int i) {
        return (wavs.get(i).length - 44) / 32000.0;
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** The file part of a multipart body: from "RIFF" up to the closing boundary. */
    private static byte[] wavIn(byte[] multipart) {
        String s = new String(multipart, StandardCharsets.ISO_8859_1);
        int start = s.indexOf("RIFF");
        int end = s.lastIndexOf("\r\n--");
        return start < 0 || end < start ? new byte[0] : s.substring(start, end).getBytes(StandardCharsets.ISO_8859_1);
    }

    /** 16 kHz mono PCM16 of {@code seconds} of a 440 Hz tone at {@code amplitude} (0 for silence). */
    static byte[] pcm(double seconds, int amplitude) {
        int samples = (int) Math.round(16000 * seconds);
        ByteBuffer b = ByteBuffer.allocate(samples * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < samples; i++) {
            b.putShort((short) (amplitude * Math.sin(2 * Math.PI * 440 * i / 16000.0)));
        }
        return b.array();
    }

    /** {@code pcm} as a WAV file. */
    static byte[] wav(byte[] pcm) {
        ByteBuffer b = ByteBuffer.allocate(44 + pcm.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(36 + pcm.length).put("WAVE".getBytes());
        b.put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) 1).putInt(16000).putInt(32000)
                .putShort((short) 2).putShort((short) 16);
        b.put("data".getBytes()).putInt(pcm.length).put(pcm);
        return b.array();
    }
}
