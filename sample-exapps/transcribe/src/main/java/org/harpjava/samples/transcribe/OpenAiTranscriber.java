package org.harpjava.samples.transcribe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.harpjava.exapp.lifecycle.SetupCheck;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A client of an OpenAI-compatible {@code POST <base>/audio/transcriptions} (whisper.cpp server, faster-whisper
 * servers, LocalAI, vLLM): the audio file is streamed from disk as multipart form data, the answer asked for as
 * {@code verbose_json} for segment timings. {@link #check()} asks {@code GET <base>/models} whether the server is
 * up, takes the API key and knows the model.
 */
public final class OpenAiTranscriber implements Engine {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(5);

    private final URI baseUrl;
    private final String model;
    private final Optional<String> apiKey;
    private final Duration timeout;
    private final HttpClient http;

    public OpenAiTranscriber(URI baseUrl, String model, Optional<String> apiKey, Duration timeout) {
        this.baseUrl = baseUrl;
        this.model = model;
        this.apiKey = apiKey;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    @Override
    public String describe() {
        return baseUrl.toString();
    }

    /** Transcribes the audio file {@code audio} (its name is sent as the file name). */
    @Override
    public Transcript transcribe(Path audio, Optional<String> language) throws EngineException {
        String boundary = "----transcribe" + UUID.randomUUID();
        StringBuilder fields = new StringBuilder();
        field(fields, boundary, "model", model);
        field(fields, boundary, "response_format", "verbose_json");
        language.ifPresent(l -> field(fields, boundary, "language", l));
        String fileHead = fields + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
                + audio.getFileName() + "\"\r\nContent-Type: audio/wav\r\n\r\n";
        HttpRequest.BodyPublisher body;
        try {
            body = HttpRequest.BodyPublishers.concat(
                    HttpRequest.BodyPublishers.ofString(fileHead),
                    HttpRequest.BodyPublishers.ofFile(audio),
                    HttpRequest.BodyPublishers.ofString("\r\n--" + boundary + "--\r\n"));
        } catch (FileNotFoundException e) {
            throw new EngineException("The audio file is gone: " + audio.getFileName(), e);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + "/audio/transcriptions"))
                .timeout(timeout)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(body);
        apiKey.ifPresent(k -> request.header("Authorization", "Bearer " + k));

        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            throw new EngineException("The transcription engine at " + baseUrl + " did not answer within "
                    + timeout.toSeconds() + " s", e);
        } catch (ConnectException e) {
            throw new EngineException("The transcription engine at " + baseUrl + " cannot be reached; is it running?", e);
        } catch (IOException e) {
            throw new EngineException("The transcription engine at " + baseUrl + " cannot be reached: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException("Interrupted while calling the transcription engine", e);
        }
        try {
            JsonNode answer = JSON.readTree(response.body());
            if (response.statusCode() != 200) {
                JsonNode error = answer.path("error");
                String detail = error.isTextual() ? error.asText() : error.path("message").asText("");
                throw new EngineException("The transcription engine answered " + response.statusCode()
                        + (response.statusCode() == 401 ? " (check TRANSCRIBE_API_KEY)" : "")
                        + (detail.isEmpty() ? "" : ": " + detail));
            }
            List<Transcript.Segment> segments = new ArrayList<>();
            for (JsonNode s : answer.path("segments")) {
                segments.add(new Transcript.Segment(s.path("start").asDouble(), s.path("end").asDouble(),
                        s.path("text").asText("").strip()));
            }
            return new Transcript(answer.path("text").asText("").strip(), segments);
        } catch (IOException e) {
            throw new EngineException("The transcription engine answered " + response.statusCode()
                    + " with something that is not JSON", e);
        }
    }

    /**
     * Whether the server answers and knows the model: an error when it cannot be reached or refuses the API key, a
     * warning when it lists its models and this one is not among them. Servers without {@code /models}
     * (whisper.cpp's) pass when they answer at all.
     */
    @Override
    public SetupCheck.Result check() {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + "/models")).timeout(CHECK_TIMEOUT).GET();
        apiKey.ifPresent(k -> request.header("Authorization", "Bearer " + k));
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            return SetupCheck.Result.of(SetupCheck.Status.ERROR, "The transcription engine at " + baseUrl
                    + " cannot be reached (" + e.getClass().getSimpleName() + "); check TRANSCRIBE_ENGINE_URL");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return SetupCheck.Result.of(SetupCheck.Status.ERROR, "Interrupted");
        }
        int status = response.statusCode();
        if (status == 401 || status == 403) {
            return SetupCheck.Result.of(SetupCheck.Status.ERROR, "The transcription engine at " + baseUrl
                    + " refuses " + (apiKey.isPresent() ? "the API key" : "requests without an API key")
                    + " (" + status + "); check TRANSCRIBE_API_KEY");
        }
        if (status != 200) {
            return status == 404 || status == 405
                    ? SetupCheck.Result.of(SetupCheck.Status.SUCCESS, "The transcription engine at " + baseUrl
                    + " answers (it does not list its models)")
                    : SetupCheck.Result.of(SetupCheck.Status.ERROR, "The transcription engine at " + baseUrl
                    + " answered " + status + " to GET /models");
        }
        List<String> models = new ArrayList<>();
        try {
            JSON.readTree(response.body()).path("data").forEach(m -> models.add(m.path("id").asText()));
        } catch (IOException e) {
            return SetupCheck.Result.of(SetupCheck.Status.WARNING, "The transcription engine at " + baseUrl
                    + " answered GET /models with something that is not JSON");
        }
        if (!models.isEmpty() && !models.contains(model)) {
            return SetupCheck.Result.of(SetupCheck.Status.WARNING, "The transcription engine at " + baseUrl
                    + " does not list the model \"" + model + "\" (TRANSCRIBE_MODEL); it has "
                    + String.join(", ", models.subList(0, Math.min(10, models.size()))));
        }
        return SetupCheck.Result.of(SetupCheck.Status.SUCCESS, "The transcription engine at " + baseUrl
                + " answers" + (models.isEmpty() ? "" : " and has the model " + model));
    }

    private static void field(StringBuilder out, String boundary, String name, String value) {
        out.append("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"").append(name)
                .append("\"\r\n\r\n").append(value).append("\r\n");
    }
}
