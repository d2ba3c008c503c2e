package org.harpjava.samples.transcribe;

import org.harpjava.exapp.testkit.Browser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.harpjava.samples.transcribe.FakeWhisper.pcm;
import static org.harpjava.samples.transcribe.FakeWhisper.wav;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The live transcription page in headless Chromium, opened at {@code /exapps/java_transcribe/} on harp-server in
 * dev mode as alice. Chromium's fake microphone plays a WAV file (0.5 s of silence, 1 s of tone, 1 s of silence, over
 * and over); the page records it, downsamples it and streams it through harp-server to the app, whose detector
 * sends each tone to the fake engine, and the page shows what comes back.
 */
class TranscribePageBrowserTest {
    private static final Pattern LINE = Pattern.compile("\\[(\\d+\\.\\d)–(\\d+\\.\\d) s] (.*)");

    @TempDir
    Path storage;
    private Harness h;
    private Browser browser;

    /** Fails where a browser is required (CI), and is skipped elsewhere, when something the browser needs is missing. */
    static void requireBrowser() {
        Browser.missing().ifPresent(why -> {
            if (Browser.required()) {
                fail("The browser tests cannot run: " + why);
            }
            assumeTrue(false, "No browser test here: " + why);
        });
    }

    private void start() throws Exception {
        requireBrowser();
        h = new Harness(storage).start();
        ByteArrayOutputStream audio = new ByteArrayOutputStream();
        audio.writeBytes(pcm(0.5, 0));
        audio.writeBytes(pcm(1.0, 8000));
        audio.writeBytes(pcm(1.0, 0));
        Path microphone = Files.write(storage.resolve("microphone.wav"), wav(audio.toByteArray()));
        browser = Browser.launch("alice", "alice-pw",
                "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
                "--use-file-for-fake-audio-capture=" + microphone);
        assertEquals(200, browser.open("http://127.0.0.1:" + h.harp.port() + "/exapps/" + Harness.APP_ID + "/"));
        browser.waitFor("document.getElementById('tr-start')");
    }

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.close();
        }
        if (h != null) {
            h.close();
        }
    }

    /** The transcript's lines, in order. */
    private List<String> lines() {
        List<String> out = new java.util.ArrayList<>();
        browser.eval("[...document.querySelectorAll('#tr-text > div')].map(d => d.textContent)")
                .forEach(l -> out.add(l.asText()));
        return out;
    }

    private String state() {
        return browser.text("#tr-state");
    }

    @Test
    void theMicrophoneIsTranscribedLiveUtteranceByUtterance() throws Exception {
        start();
        browser.click("#tr-start");
        browser.waitFor("document.getElementById('tr-state').textContent === 'Listening'");
        assertTrue(browser.eval("document.getElementById('tr-start').disabled").asBoolean());

        browser.waitFor("document.querySelectorAll('#tr-text > div').length >= 2", Duration.ofSeconds(20));
        List<String> lines = lines();
        Matcher first = LINE.matcher(lines.get(0));
        assertTrue(first.matches(), lines.toString());
        assertEquals("utterance 1", first.group(3));
        // Where the tone falls depends on when the recording starts; its length does not.
        double start = Double.parseDouble(first.group(1));
        double end = Double.parseDouble(first.group(2));
        assertEquals(1.0, end - start, 0.25, "the utterance lasts as long as the tone: " + lines);
        Matcher second = LINE.matcher(lines.get(1));
        assertTrue(second.matches(), lines.toString());
        assertEquals("utterance 2", second.group(3));
        assertEquals(2.5, Double.parseDouble(second.group(1)) - start, 0.25, "the file repeats every 2.5 s: " + lines);

        // What reached the engine is 16 kHz audio of the tone's length (plus up to 200 ms of the silence after it).
        double seconds = h.engine.seconds(0);
        assertTrue(seconds >= 0.9 && seconds <= 1.45, "the engine got " + seconds + " s");

        browser.click("#tr-stop");
        browser.waitFor("document.getElementById('tr-state').textContent === 'Stopped'");
        assertFalse(browser.eval("document.getElementById('tr-start').disabled").asBoolean());
        assertTrue(browser.eval("document.getElementById('tr-stop').disabled").asBoolean());
        assertEquals("", browser.text("#tr-status"));
        assertEquals(List.of(), browser.problems());
    }

    @Test
    void anEngineThatIsDownIsShownForTheUtteranceAndListeningGoesOn() throws Exception {
        start();
        h.engine.close();
        browser.click("#tr-start");
        browser.waitFor("document.querySelectorAll('#tr-text > div').length >= 2", Duration.ofSeconds(20));
        List<String> lines = lines();
        for (String line : lines.subList(0, 2)) {
            Matcher m = LINE.matcher(line);
            assertTrue(m.matches(), lines.toString());
            assertTrue(m.group(3).startsWith("⚠ ") && m.group(3).contains("cannot be reached"), lines.toString());
        }
        assertEquals("rgb(170, 0, 0)", browser.eval("getComputedStyle(document.querySelector('#tr-text > div')).color")
                .asText(), "errors are red");
        assertTrue(List.of("Listening", "Hearing speech…", "Transcribing…").contains(state()), state());
        assertTrue(browser.eval("document.getElementById('tr-start').disabled").asBoolean(), "still recording");
        assertEquals(List.of(), browser.problems());
    }

    @Test
    void stopThenStartAgainAtOnceKeepsTheNewRecording() throws Exception {
        start();
        h.engine.holdAnswers();
        browser.click("#tr-start");
        browser.waitFor("document.getElementById('tr-state').textContent === 'Listening'");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (h.engine.wavs().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertFalse(h.engine.wavs().isEmpty(), "an utterance reached the engine");

        // Stopped while the engine still works on the first utterance, and started again before its answer.
        browser.click("#tr-stop");
        browser.click("#tr-start");
        browser.waitFor("document.getElementById('tr-stop').disabled === false");
        h.engine.answer();
        browser.waitFor("document.querySelector('#tr-text > div')?.textContent.endsWith('utterance 1')");

        // The first recording's end must not end the second: it goes on and is transcribed.
        browser.waitFor("document.querySelectorAll('#tr-text > div').length >= 3", Duration.ofSeconds(20));
        assertTrue(browser.eval("document.getElementById('tr-start').disabled").asBoolean(), lines().toString());
        assertFalse(browser.eval("document.getElementById('tr-stop').disabled").asBoolean());
        assertEquals("", browser.text("#tr-status"));
        assertEquals(List.of(), browser.problems());
    }

    @Test
    void aDoubleClickOnStartRecordsOnceAndStopEndsIt() throws Exception {
        start();
        browser.doubleClick("#tr-start");
        browser.waitFor("document.querySelectorAll('#tr-text > div').length >= 1", Duration.ofSeconds(20));
        browser.click("#tr-stop");
        browser.waitFor("document.getElementById('tr-state').textContent === 'Stopped'");
        int received = h.engine.wavs().size();
        Thread.sleep(3000); // longer than the microphone's 2.5 s loop
        assertEquals(received, h.engine.wavs().size(), "nothing is recorded any more after Stop");
        assertEquals(1, lines().stream().filter(l -> l.endsWith("utterance 1")).count(), lines().toString());
        assertEquals(List.of(), browser.problems());
    }

    @Test
    void anAudioFileIsTranscribedAndOtherFilesAreRefused() throws Exception {
        start();
        Path speech = Files.write(storage.resolve("speech.wav"), wav(pcm(2.0, 8000)));
        browser.setInputFiles("#tr-file", speech);
        browser.click("#tr-upload");
        browser.waitFor("document.querySelectorAll('#tr-text > div').length === 2");
        assertEquals(List.of("speech.wav:", "[0.0–2.0 s] utterance 1"), lines());
        assertEquals(1, h.engine.wavs().size());
        assertEquals(2.0, h.engine.seconds(0), 0.001, "the file reached the engine whole");

        Path notes = Files.writeString(storage.resolve("notes.txt"), "not audio");
        browser.setInputFiles("#tr-file", notes);
        browser.click("#tr-upload");
        browser.waitFor("document.getElementById('tr-status').textContent !== ''");
        assertEquals("notes.txt: The file is not audio this app can read; send WAV, AIFF or AU (PCM, float, mu-law or A-law"
                + " samples)", browser.text("#tr-status"));
        assertEquals(1, h.engine.wavs().size(), "the engine never saw it");
        assertFalse(browser.eval("document.getElementById('tr-upload').disabled").asBoolean());
        List<String> problems = browser.problems();
        assertEquals(2, problems.size(), problems.toString()); // the 415 answer, as response and console line
        assertTrue(problems.stream().allMatch(p -> p.contains("415")), problems.toString());
    }
}
