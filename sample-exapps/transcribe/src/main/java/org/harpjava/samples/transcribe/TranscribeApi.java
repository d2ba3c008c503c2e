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
 * Batch transcription: {@code POST /api/transcribe} with a WAV file as the body
 * ({@code curl --data-binary @speech.wav}), optionally {@code ?language=de}. The upload is streamed to a temporary
 * file, never held in memory, and checked to be 16-bit PCM WAV before the engine sees it. The answer:
 * {@code {"text":"...","segments":[{"start":0.0,"end":1.5,"text":"..."}]}}.
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
        Path upload = Files.createTempFile(tmp, "upload-", ".wav");
        try {
            if (!copyAtMost(req.content().inputStream(), upload, maxUploadBytes)) {
                error(res, Status.REQUEST_ENTITY_TOO_LARGE_413,
                        "The audio file is larger than " + maxUploadBytes / (1024 * 1024) + " MiB");
                return;
            }
            try (InputStream in = Files.newInputStream(upload)) {
                Wav.readHeader(in);
            } catch (Wav.FormatException e) {
                error(res, Status.UNSUPPORTED_MEDIA_TYPE_415, e.getMessage());
                return;
            }
            Transcript t = engine.transcribe(upload, req.query().first("language").asOptional());
            ObjectNode out = JSON.createObjectNode().put("text", t.text());
            ArrayNode segments = out.putArray("segments");
            t.segments().forEach(s -> segments.addObject().put("start", s.start()).put("end", s.end()).put("text", s.text()));
            send(res, Status.OK_200, out);
        } catch (EngineException e) {
            LOG.log(System.Logger.Level.WARNING, "Transcription for " + caller.userId().get() + " failed: " + e.getMessage());
            error(res, Status.BAD_GATEWAY_502, e.getMessage());
        } finally {
            Files.deleteIfExists(upload);
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
