package org.harpjava.samples.transcribe;

import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Audio files for tests, written by the JDK, and measurements of the WAV files the engine got. */
final class TestAudio {
    static final double AMPLITUDE = 0.25;
    static final int HERTZ = 440;

    private TestAudio() {
    }

    /** {@code seconds} of a 440 Hz tone at a quarter of full scale on every channel, as a {@code type} file in {@code format}. */
    static byte[] tone(AudioFileFormat.Type type, AudioFormat format, double seconds) throws IOException {
        float rate = format.getSampleRate();
        int channels = format.getChannels();
        int frames = (int) (rate * seconds);
        AudioFormat pcm = new AudioFormat(rate, 16, channels, true, false);
        ByteBuffer b = ByteBuffer.allocate(frames * 2 * channels).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < frames; i++) {
            short s = (short) (AMPLITUDE * 32767 * Math.sin(2 * Math.PI * HERTZ * i / rate));
            for (int c = 0; c < channels; c++) {
                b.putShort(s);
            }
        }
        AudioInputStream source = new AudioInputStream(new ByteArrayInputStream(b.array()), pcm, frames);
        AudioInputStream encoded = format.matches(pcm) ? source : AudioSystem.getAudioInputStream(format, source);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AudioSystem.write(encoded, type, out);
        return out.toByteArray();
    }

    /** The format chunk of a canonical WAV file: sample rate, channels, bits. */
    static int[] format(byte[] wav) {
        ByteBuffer b = ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN);
        return new int[]{b.getInt(24), b.getShort(22), b.getShort(34)};
    }

    /** The samples of a canonical 16-bit WAV file. */
    static short[] samples(byte[] wav) {
        ByteBuffer b = ByteBuffer.wrap(wav, 44, wav.length - 44).order(ByteOrder.LITTLE_ENDIAN);
        short[] s = new short[b.remaining() / 2];
        b.asShortBuffer().get(s);
        return s;
    }

    /** The RMS level of {@code samples}, 0 to 1. */
    static double rms(short[] samples) {
        double sum = 0;
        for (short s : samples) {
            sum += (double) s * s;
        }
        return Math.sqrt(sum / samples.length) / 32768;
    }

    /** The frequency of a tone, from its zero crossings, at 16 kHz. */
    static double hertz(short[] samples) {
        int crossings = 0;
        for (int i = 1; i < samples.length; i++) {
            if ((samples[i - 1] < 0) != (samples[i] < 0)) {
                crossings++;
            }
        }
        return crossings / 2.0 / (samples.length / 16000.0);
    }
}
