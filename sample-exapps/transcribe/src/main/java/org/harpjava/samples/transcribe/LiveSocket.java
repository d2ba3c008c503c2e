package org.harpjava.samples.transcribe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.common.buffers.BufferData;
import io.helidon.websocket.WsCloseCodes;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;
import org.harpjava.exapp.AccessLevel;
import org.harpjava.exapp.Caller;
import org.harpjava.exapp.WebSocketRoute;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;

/**
 * Live transcription over a WebSocket, {@code wss://<nextcloud>/exapps/<appid>/ws/live} (through HaRP).
 *
 * <p>From the browser, a JSON start message, then binary messages of 16 kHz mono 16-bit little-endian PCM, then a
 * stop message; the session may be started again after a stop:
 * <pre>
 * {"type":"start","sampleRate":16000,"language":"en"}     language may be left out
 * (binary audio)
 * {"type":"stop"}                                          ends the utterance under way and transcribes it
 * </pre>
 * To the browser, times in seconds from the start of the stream:
 * <pre>
 * {"type":"ready","sampleRate":16000}
 * {"type":"partial","state":"speech","start":0.5}                        speech heard
 * {"type":"partial","state":"transcribing","start":0.5,"end":1.5}        the utterance went to the engine
 * {"type":"final","text":"Hello there.","start":0.5,"end":1.5}
 * {"type":"error","message":"...","start":0.5,"end":1.5}                 the engine failed on that utterance
 * {"type":"stopped","duration":4.2}                                      after a stop, once every final is out
 * </pre>
 * With a {@link StreamingEngine} (Vosk) the audio goes straight into its recogniser, which finds the ends of
 * utterances itself and tells what it heard so far: the partials then carry text,
 * {@code {"type":"partial","text":"hello the"}}. With other engines the stream is cut into utterances by
 * {@link Segmenter}; each goes to the engine as a WAV file, one at a time and in order, while audio keeps arriving. Mistakes of the client are {@code error} messages and the session stays open
 * (audio before start, a sample rate other than 16000, an odd number of bytes), except a binary message larger than
 * {@code TRANSCRIBE_MAX_FRAME_KB}, which closes the connection with 1009. When the engine is down, the utterance gets
 * an {@code error} message and the session stays usable: later utterances are tried again.
 */
public final class LiveSocket {
    static final int SAMPLE_RATE = Wav.SAMPLE_RATE;
    private static final System.Logger LOG = System.getLogger(LiveSocket.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LANGUAGE = Pattern.compile("[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})?");

    private final Engine engine;
    private final TranscribeConfig config;
    private final Path tmp;

    public LiveSocket(Engine engine, TranscribeConfig config, Path tmp) {
        this.engine = engine;
        this.config = config;
        this.tmp = tmp;
    }

    @WebSocketRoute(path = "/ws/live", access = AccessLevel.USER)
    WsListener connect(Caller caller) {
        return caller.userId().<WsListener>map(Session::new).orElseGet(() -> new WsListener() {
            @Override
            public void onOpen(WsSession session) {
                session.close(WsCloseCodes.VIOLATED_POLICY, "live transcription needs a Nextcloud user");
            }
        });
    }

    /**
     * One user's connection. Messages arrive on one thread; a streaming engine is fed on it, other engines are called
     * on another thread, one utterance at a time.
     */
    private final class Session implements WsListener {
        private final String user;
        private final StringBuilder text = new StringBuilder();
        private final ByteArrayOutputStream binary = new ByteArrayOutputStream();
        private final ExecutorService transcriber = Executors.newSingleThreadExecutor(Thread.ofVirtual().name("live-transcribe").factory());
        private Segmenter segmenter;
        private StreamingEngine.Recognition recognition;
        private long streamedBytes;
        private Optional<String> language = Optional.empty();

        Session(String user) {
            this.user = user;
        }

        @Override
        public void onMessage(WsSession session, String fragment, boolean last) {
            text.append(fragment);
            if (text.length() > 4096) {
                text.setLength(0);
                session.close(WsCloseCodes.TOO_BIG, "text message too long");
                return;
            }
            if (!last) {
                return;
            }
            JsonNode message;
            try {
                message = JSON.readTree(text.toString());
            } catch (IOException e) {
                message = null;
            }
            text.setLength(0);
            if (message == null || !message.isObject()) {
                send(session, error("Messages must be JSON objects such as {\"type\":\"start\",\"sampleRate\":16000}"));
                return;
            }
            switch (message.path("type").asText()) {
                case "start" -> start(session, message);
                case "stop" -> stop(session);
                default -> send(session, error("Unknown message type \"" + message.path("type").asText()
                        + "\"; use \"start\" or \"stop\""));
            }
        }

        private void start(WsSession session, JsonNode message) {
            if (started()) {
                send(session, error("The session is already started; send {\"type\":\"stop\"} first"));
                return;
            }
            int rate = message.path("sampleRate").asInt(SAMPLE_RATE);
            if (rate != SAMPLE_RATE) {
                send(session, error("Only 16000 Hz mono 16-bit PCM is supported, not " + message.path("sampleRate")
                        + " Hz; downsample before sending"));
                return;
            }
            String lang = message.path("language").asText("").strip();
            if (!lang.isEmpty() && !LANGUAGE.matcher(lang).matches()) {
                send(session, error("\"" + lang + "\" is not a language code such as \"en\" or \"pt-BR\""));
                return;
            }
            language = lang.isEmpty() ? Optional.empty() : Optional.of(lang);
            if (engine instanceof StreamingEngine streaming) {
                try {
                    recognition = streaming.recognise(language);
                } catch (EngineException e) {
                    send(session, error(e.getMessage()));
                    return;
                }
                streamedBytes = 0;
            } else {
                segmenter = new Segmenter(SAMPLE_RATE, config.vadThreshold(), config.vadSilence(), config.maxUtterance());
            }
            send(session, JSON.createObjectNode().put("type", "ready").put("sampleRate", SAMPLE_RATE));
        }

        private boolean started() {
            return segmenter != null || recognition != null;
        }

        private void stop(WsSession session) {
            if (!started()) {
                send(session, error("The session is not started"));
                return;
            }
            if (recognition != null) {
                try {
                    recognition.finish().ifPresent(h -> send(session, heard(h)));
                } catch (EngineException e) {
                    send(session, error(e.getMessage()));
                }
                recognition.close();
                recognition = null;
                send(session, JSON.createObjectNode().put("type", "stopped").put("duration", round(streamedBytes / 2.0 / SAMPLE_RATE)));
                return;
            }
            handle(session, segmenter.flush());
            double duration = round(segmenter.position());
            segmenter = null;
            transcriber.execute(() -> send(session, JSON.createObjectNode().put("type", "stopped").put("duration", duration)));
        }

        @Override
        public void onMessage(WsSession session, BufferData buffer, boolean last) {
            if (binary.size() + buffer.available() > config.maxFrameBytes()) {
                binary.reset();
                session.close(WsCloseCodes.TOO_BIG, "audio messages may have at most " + config.maxFrameBytes() + " bytes");
                return;
            }
            byte[] bytes = new byte[buffer.available()];
            buffer.read(bytes);
            binary.writeBytes(bytes);
            if (!last) {
                return;
            }
            byte[] pcm = binary.toByteArray();
            binary.reset();
            if (!started()) {
                send(session, error("Send {\"type\":\"start\",\"sampleRate\":16000} before audio"));
            } else if (pcm.length % 2 != 0) {
                send(session, error("Audio messages must hold whole 16-bit samples; this one has " + pcm.length + " bytes"));
            } else if (recognition != null) {
                streamedBytes += pcm.length;
                try {
                    recognition.accept(pcm).ifPresent(h -> send(session, heard(h)));
                } catch (EngineException e) {
                    send(session, error(e.getMessage()));
                }
            } else {
                handle(session, segmenter.feed(pcm));
            }
        }

        /** The message for what a streaming engine heard. */
        private ObjectNode heard(StreamingEngine.Heard heard) {
            return switch (heard) {
                case StreamingEngine.Partial p -> JSON.createObjectNode().put("type", "partial").put("text", p.text());
                case StreamingEngine.Utterance u -> JSON.createObjectNode().put("type", "final").put("text", u.text())
                        .put("start", round(u.start())).put("end", round(u.end()));
            };
        }

        private void handle(WsSession session, List<Segmenter.Event> events) {
            for (Segmenter.Event event : events) {
                switch (event) {
                    case Segmenter.SpeechStarted s -> send(session, JSON.createObjectNode().put("type", "partial")
                            .put("state", "speech").put("start", round(s.start())));
                    case Segmenter.Utterance u -> {
                        send(session, JSON.createObjectNode().put("type", "partial").put("state", "transcribing")
                                .put("start", round(u.start())).put("end", round(u.end())));
                        Optional<String> lang = language;
                        transcriber.execute(() -> send(session, transcribe(u, lang)));
                    }
                }
            }
        }

        /** The {@code final} or {@code error} message of utterance {@code u}. */
        private ObjectNode transcribe(Segmenter.Utterance u, Optional<String> lang) {
            Path wav = null;
            try {
                Files.createDirectories(tmp);
                wav = Files.createTempFile(tmp, "live-", ".wav");
                Wav.write(wav, u.pcm());
                Transcript t = engine.transcribe(wav, lang);
                return JSON.createObjectNode().put("type", "final").put("text", t.text())
                        .put("start", round(u.start())).put("end", round(u.end()));
            } catch (EngineException e) {
                LOG.log(System.Logger.Level.WARNING, "Live transcription for " + user + " failed: " + e.getMessage());
                return error(e.getMessage()).put("start", round(u.start())).put("end", round(u.end()));
            } catch (IOException e) {
                LOG.log(System.Logger.Level.ERROR, "Live transcription for " + user + " failed", e);
                return error("The audio could not be stored for the engine; see the app's log");
            } finally {
                if (wav != null) {
                    try {
                        Files.deleteIfExists(wav);
                    } catch (IOException ignored) {
                        // A temporary file.
                    }
                }
            }
        }

        @Override
        public void onClose(WsSession session, int status, String reason) {
            end();
        }

        @Override
        public void onError(WsSession session, Throwable t) {
            end();
        }

        private void end() {
            transcriber.shutdownNow();
            if (recognition != null) {
                recognition.close();
                recognition = null;
            }
        }
    }

    private static double round(double seconds) {
        return Math.round(seconds * 100) / 100.0;
    }

    private static ObjectNode error(String message) {
        return JSON.createObjectNode().put("type", "error").put("message", message);
    }

    private static void send(WsSession session, ObjectNode message) {
        synchronized (session) {
            try {
                session.send(message.toString(), true);
            } catch (RuntimeException e) {
                // The connection is gone; nothing to tell.
            }
        }
    }
}
