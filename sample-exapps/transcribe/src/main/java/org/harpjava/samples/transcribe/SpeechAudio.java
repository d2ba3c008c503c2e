package org.harpjava.samples.transcribe;

import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Turns an audio file into what the engines take, 16 kHz mono 16-bit PCM WAV, with the JDK's
 * {@code javax.sound.sampled}: WAV (PCM of any depth, float, mu-law, A-law), AIFF and AU files, at any sample rate
 * and with any number of channels. The conversion is a chain of streams (sample format, then channels, then rate:
 * the JDK's float converter resamples and mixes down), so the audio is never held in memory whole. Compressed
 * formats such as MP3, Ogg or M4A are refused; {@code ffmpeg -i in.mp3 -ar 16000 -ac 1 out.wav} converts them.
 */
final class SpeechAudio {
    /** What the engines take. */
    static final AudioFormat FORMAT = new AudioFormat(Wav.SAMPLE_RATE, 16, 1, true, false);
    private static final String FORMATS = "WAV, AIFF or AU (PCM, float, mu-law or A-law samples)";

    /** The file is not audio this app can read; the message says why, for the user. */
    static final class UnsupportedAudioException extends Exception {
        UnsupportedAudioException(String message) {
            super(message);
        }
    }

    private SpeechAudio() {
    }

    /**
     * Converts the audio file {@code source} into the WAV file {@code target}.
     *
     * @return seconds of audio written
     */
    static double convert(Path source, Path target) throws IOException, UnsupportedAudioException {
        AudioInputStream in;
        try {
            in = AudioSystem.getAudioInputStream(source.toFile());
        } catch (UnsupportedAudioFileException e) {
            throw new UnsupportedAudioException("The file is not audio this app can read; send " + FORMATS);
        } catch (EOFException e) {
            throw new UnsupportedAudioException("The audio file ends before its samples");
        }
        try (AudioInputStream speech = toSpeech(in)) {
            return write(speech, target);
        } finally {
            in.close();
        }
    }

    /** {@code in} as 16 kHz mono 16-bit little-endian samples. */
    private static AudioInputStream toSpeech(AudioInputStream in) throws UnsupportedAudioException {
        AudioFormat source = in.getFormat();
        float rate = source.getSampleRate();
        int channels = source.getChannels();
        if (channels < 1 || rate < 1000 || rate > 384_000) {
            throw new UnsupportedAudioException("The audio file has " + channels + " channels at " + rate + " Hz");
        }
        AudioInputStream pcm = convert(in, new AudioFormat(AudioFormat.Encoding.PCM_SIGNED, rate, 16, channels,
                2 * channels, rate, false));
        AudioInputStream mono = convert(pcm, new AudioFormat(rate, 16, 1, true, false));
        return convert(mono, FORMAT);
    }

    private static AudioInputStream convert(AudioInputStream in, AudioFormat to) throws UnsupportedAudioException {
        if (in.getFormat().matches(to)) {
            return in;
        }
        try {
            return AudioSystem.getAudioInputStream(to, in);
        } catch (IllegalArgumentException e) {
            throw new UnsupportedAudioException("Audio in " + in.getFormat() + " cannot be converted; send " + FORMATS);
        }
    }

    /** Streams {@code speech} into a WAV file, then writes the sizes into its header; seconds written. */
    private static double write(AudioInputStream speech, Path target) throws IOException {
        long bytes = 0;
        try (OutputStream out = Files.newOutputStream(target)) {
            out.write(Wav.header(0));
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = speech.read(buffer)) > 0) {
                out.write(buffer, 0, n);
                bytes += n;
            }
        }
        try (FileChannel file = FileChannel.open(target, StandardOpenOption.WRITE)) {
            file.write(ByteBuffer.wrap(Wav.header(bytes)), 0);
        }
        return bytes / 2.0 / Wav.SAMPLE_RATE;
    }
}
