package org.harpjava.samples.transcribe;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import org.harpjava.exapp.AccessLevel;
import org.harpjava.exapp.Caller;
import org.harpjava.exapp.Route;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Batch transcription: {@code POST /api/transcribe} with an audio file as the body
 * ({@code curl --data-binary @speech.wav}), optionally {@code ?language=de}. The upload is streamed to a temporary
 * file, never held in memory, and converted to 16 kHz mono 16-bit WAV ({@link SpeechAudio}) before the engine sees
 * it. The answer: {@code {"text":"...","segments":[{"start":0.0,"end":1.5,"text":"..."}]}}; {@code 413} above the
 * size limit, {@code 415} for audio that cannot be read, {@code 503} while the engine is not ready (a model being
 * installed), {@code 502} when the engine is down or refuses.
 */
public final class TranscribeApi {
    private static final System.Logger LOG = System.getLogger(TranscribeApi.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Engine engine;
    private final Path tmp;
    private final long maxUploadBytes;

    public TranscribeApi(Engine engine, Path tmp, long maxUploadBytes) {
        this.engine = engine;
        this.tmp = tmp;
        this.maxUploadBytes = maxUploadBytes;
    }

    @Route(path = "/api/transcribe", methods = "POST", access = AccessLevel.USER)
    void transcribe(ServerRequest req, ServerResponse res, Caller caller) throws IOException {
        if (caller.userId().isEmpty()) {
            error(res, Status.FORBIDDEN_403, "This route is for Nextcloud users");
            return;
        }
        Files.createDirectories(tmp);
        Path upload = Files.createTempFile(tmp, "upload-", ".audio");
        Path speech = Files.createTempFile(tmp, "speech-", ".wav");
        try {
            if (!copyAtMost(req.content().inputStream(), upload, maxUploadBytes)) {
                error(res, Status.REQUEST_ENTITY_TOO_LARGE_413,
                        "The audio file is larger than " + maxUploadBytes / (1024 * 1024) + " MiB");
                return;
            }
            try {
                SpeechAudio.convert(upload, speech);
            } catch (SpeechAudio.UnsupportedAudioException e) {
                error(res, Status.UNSUPPORTED_MEDIA_TYPE_415, e.getMessage());
                return;
            }
            Files.delete(upload);
            Transcript t = engine.transcribe(speech, req.query().first("language").asOptional());
            ObjectNode out = JSON.createObjectNode().put("text", t.text());
            ArrayNode segments = out.putArray("segments");
            t.segments().forEach(s -> segments.addObject().put("start", s.start()).put("end", s.end()).put("text", s.text()));
            send(res, Status.OK_200, out);
        } catch (EngineException e) {
            LOG.log(System.Logger.Level.WARNING, "Transcription for " + caller.userId().get() + " failed: " + e.getMessage());
            error(res, e instanceof EngineException.NotReady ? Status.SERVICE_UNAVAILABLE_503 : Status.BAD_GATEWAY_502,
                    e.getMessage());
        } finally {
            Files.deleteIfExists(upload);
            Files.deleteIfExists(speech);
        }
    }

    /** Copies {@code in} to {@code target}; false (and stops reading) when it holds more than {@code limit} bytes. */
    private static boolean copyAtMost(InputStream in, Path target, long limit) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        try (OutputStream out = Files.newOutputStream(target)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                total += n;
                if (total > limit) {
                    return false;
                }
                out.write(buffer, 0, n);
            }
        }
        return true;
    }

    private static void send(ServerResponse res, Status status, ObjectNode body) {
        res.status(status).header(HeaderNames.CONTENT_TYPE, "application/json")
                .send(body.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static void error(ServerResponse res, Status status, String message) {
        send(res, status, JSON.createObjectNode().put("error", message));
    }
}
