package org.harpjava.samples.transcribe;

import org.harpjava.exapp.testkit.FakeTask;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Uploads and task files in the formats {@code javax.sound.sampled} reads reach the engine as 16 kHz mono 16-bit
 * WAV with the same sound (length, level and pitch of a tone); what it cannot read is refused with 415.
 */
class AudioFormatsTest {
    private Harness h;

    @BeforeEach
    void start(@TempDir Path storage) throws Exception {
        h = new Harness(storage).start();
    }

    @AfterEach
    void stop() {
        h.close();
    }

    private void assertConverted(String what, byte[] file) throws Exception {
        int before = h.engine.wavs().size();
        HttpResponse<String> r = h.post("alice", "/api/transcribe", file);
        assertEquals(200, r.statusCode(), what + ": " + r.body());
        assertEquals(before + 1, h.engine.wavs().size(), what);
        assertSpeechWav(what, h.engine.wavs().get(before));
    }

    /** One second of the test tone as 16 kHz mono 16-bit WAV. */
    private static void assertSpeechWav(String what, byte[] wav) {
        assertArrayEquals(new int[]{16000, 1, 16}, TestAudio.format(wav), what + ": rate, channels, bits");
        short[] samples = TestAudio.samples(wav);
        assertEquals(16000, samples.length, 160, what + ": samples in one second");
        assertEquals(TestAudio.AMPLITUDE / Math.sqrt(2), TestAudio.rms(samples), 0.03, what + ": level");
        assertEquals(TestAudio.HERTZ, TestAudio.hertz(samples), 10, what + ": pitch");
    }

    @Test
    void wavOfAnyPcmDepthRateAndChannelsAiffAndAuAreConverted() throws Exception {
        var wave = AudioFileFormat.Type.WAVE;
        assertConverted("WAV 44.1 kHz stereo 24-bit",
                TestAudio.tone(wave, new AudioFormat(44100, 24, 2, true, false), 1));
        assertConverted("WAV 8 kHz mono 8-bit",
                TestAudio.tone(wave, new AudioFormat(8000, 8, 1, false, false), 1));
        assertConverted("WAV 48 kHz mono 32-bit float",
                TestAudio.tone(wave, new AudioFormat(AudioFormat.Encoding.PCM_FLOAT, 48000, 32, 1, 4, 48000, false), 1));
        assertConverted("WAV 16 kHz 6 channels 16-bit",
                TestAudio.tone(wave, new AudioFormat(16000, 16, 6, true, false), 1));
        assertConverted("AIFF 22.05 kHz stereo 16-bit",
                TestAudio.tone(AudioFileFormat.Type.AIFF, new AudioFormat(22050, 16, 2, true, true), 1));
        assertConverted("AU 8 kHz mu-law",
                TestAudio.tone(AudioFileFormat.Type.AU, new AudioFormat(AudioFormat.Encoding.ULAW, 8000, 8, 1, 1, 8000, false), 1));
    }

    @Test
    void audioThatCannotBeReadIs415() throws Exception {
        HttpResponse<String> mp3 = h.post("alice", "/api/transcribe", "ID3\u0004 an mp3 file".getBytes(StandardCharsets.UTF_8));
        assertEquals(415, mp3.statusCode());
        assertEquals("The file is not audio this app can read; send WAV, AIFF or AU (PCM, float, mu-law or A-law samples)",
                Harness.JSON.readTree(mp3.body()).path("error").asText());

        HttpResponse<String> mp3InWav = h.post("alice", "/api/transcribe", wavWithFormatTag(0x55));
        assertEquals(415, mp3InWav.statusCode(), mp3InWav.body());

        assertEquals(0, h.engine.wavs().size(), "nothing reached the engine");
        // The files are deleted right after the answer is sent.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        long left;
        do {
            try (var files = Files.list(h.storage.resolve("tmp"))) {
                left = files.count();
            }
        } while (left > 0 && System.nanoTime() < deadline);
        assertEquals(0, left, "the temporary files are deleted");
    }

    @Test
    void aTaskFileIsConvertedToo() throws Exception {
        assertEquals("", h.appApi().enable().json().path("error").asText());
        h.nextcloud.queueTask(FakeTask.of(61, AudioTasks.AUDIO2TEXT, "alice", Map.of("input", 5)));
        h.nextcloud.putTaskInputFile(61, 5, TestAudio.tone(AudioFileFormat.Type.AIFF, new AudioFormat(44100, 16, 2, true, true), 1));
        h.appApi().trigger("java_transcribe:audio2text");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (h.nextcloud.taskResult(61).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals("utterance 1", h.nextcloud.taskResult(61).orElseThrow().path("output").path("output").asText());
        assertSpeechWav("AIFF task input", h.engine.wavs().get(0));
    }

    /** A WAV file whose samples are in the compressed format {@code tag} (0x55 is MP3). */
    private static byte[] wavWithFormatTag(int tag) {
        ByteBuffer b = ByteBuffer.allocate(44 + 400).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(36 + 400).put("WAVE".getBytes());
        b.put("fmt ".getBytes()).putInt(16).putShort((short) tag).putShort((short) 1).putInt(16000).putInt(4000)
                .putShort((short) 1).putShort((short) 0);
        b.put("data".getBytes()).putInt(400);
        return b.array();
    }
}
