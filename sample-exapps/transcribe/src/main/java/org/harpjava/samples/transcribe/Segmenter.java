package org.harpjava.samples.transcribe;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Cuts a stream of mono PCM16 (little-endian) into utterances with a simple energy-based voice-activity detector:
 * the audio is looked at in 20 ms frames; a frame whose RMS level is above the threshold is speech. An utterance
 * starts with the first speech frame and ends when the silence after its last speech frame lasts {@code silence},
 * or is cut when it reaches {@code maxUtterance}. Not thread-safe: one per stream.
 */
final class Segmenter {
    /** What the detector saw. */
    sealed interface Event {
    }

    /** Speech starts at {@code start} seconds into the stream. */
    record SpeechStarted(double start) implements Event {
    }

    /**
     * A whole utterance, from {@code start} to {@code end} seconds (the end of its last speech frame), with its audio
     * (up to 200 ms of the silence after it included).
     */
    record Utterance(double start, double end, byte[] pcm) implements Event {
    }

    private final int sampleRate;
    private final int frameBytes;
    private final double threshold;
    private final long silenceFrames;
    private final long maxFrames;
    private final long tailFrames;

    private byte[] carry = new byte[0];
    private long frame; // frames seen so far
    private boolean inSpeech;
    private long startFrame;
    private long lastSpeechFrame;
    private final ByteArrayOutputStream current = new ByteArrayOutputStream();
    private double level;

    Segmenter(int sampleRate, int threshold, Duration silence, Duration maxUtterance) {
        this.sampleRate = sampleRate;
        this.frameBytes = sampleRate / 50 * 2;
        this.threshold = threshold;
        this.silenceFrames = Math.max(1, silence.toMillis() / 20);
        this.maxFrames = Math.max(1, maxUtterance.toMillis() / 20);
        this.tailFrames = Math.min(10, silenceFrames);
    }

    /** Takes the next piece of audio (any even length); what it completes. */
    List<Event> feed(byte[] pcm) {
        List<Event> events = new ArrayList<>();
        byte[] data = carry.length == 0 ? pcm : concat(carry, pcm);
        int offset = 0;
        for (; offset + frameBytes <= data.length; offset += frameBytes) {
            frame(data, offset, events);
        }
        carry = Arrays.copyOfRange(data, offset, data.length);
        return events;
    }

    /** The end of the stream: the utterance under way, if any. */
    List<Event> flush() {
        List<Event> events = new ArrayList<>();
        if (inSpeech) {
            events.add(cut(lastSpeechFrame + 1));
        }
        carry = new byte[0];
        return events;
    }

    /** Seconds of audio seen. */
    double position() {
        return seconds(frame);
    }

    /** The RMS level of the last frame, from 0 to 1. */
    double level() {
        return level;
    }

    private void frame(byte[] data, int offset, List<Event> events) {
        double sum = 0;
        for (int i = offset; i < offset + frameBytes; i += 2) {
            int sample = (short) ((data[i] & 0xFF) | (data[i + 1] << 8));
            sum += (double) sample * sample;
        }
        double rms = Math.sqrt(sum / (frameBytes / 2.0));
        level = rms / 32768;
        boolean speech = rms >= threshold;
        if (!inSpeech) {
            if (speech) {
                inSpeech = true;
                startFrame = frame;
                lastSpeechFrame = frame;
                current.reset();
                current.write(data, offset, frameBytes);
                events.add(new SpeechStarted(seconds(frame)));
            }
        } else {
            current.write(data, offset, frameBytes);
            if (speech) {
                lastSpeechFrame = frame;
            }
            if (frame - lastSpeechFrame >= silenceFrames) {
                events.add(cut(lastSpeechFrame + 1));
            } else if (frame + 1 - startFrame >= maxFrames) {
                events.add(cut(frame + 1));
            }
        }
        frame++;
    }

    /** Ends the utterance under way at frame {@code endFrame}. */
    private Utterance cut(long endFrame) {
        byte[] all = current.toByteArray();
        int keep = (int) Math.min(all.length, (endFrame - startFrame + tailFrames) * frameBytes);
        inSpeech = false;
        current.reset();
        return new Utterance(seconds(startFrame), seconds(endFrame), Arrays.copyOf(all, keep));
    }

    private double seconds(long frames) {
        return frames * (frameBytes / 2) / (double) sampleRate;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
