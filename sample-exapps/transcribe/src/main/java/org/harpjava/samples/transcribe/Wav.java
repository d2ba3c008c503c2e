package org.harpjava.samples.transcribe;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * The header of a WAV file: reads up to the start of the samples and says what they are. Only uncompressed
 * 16-bit PCM is accepted, which is what speech engines take and what browsers and {@code sox} write.
 *
 * @param sampleRate samples per second, such as 16000
 * @param channels   1 for mono
 */
public record Wav(int sampleRate, int channels) {
    /** The input is not a WAV file this app can read; the message says why, for the user. */
    public static final class FormatException extends Exception {
        public FormatException(String message) {
            super(message);
        }
    }

    /** Reads the header from {@code in}, leaving it at the first sample. */
    public static Wav readHeader(InputStream in) throws IOException, FormatException {
        DataInputStream data = new DataInputStream(in);
        try {
            if (!fourCc(data).equals("RIFF")) {
                throw new FormatException("The file is not a WAV file (no RIFF header)");
            }
            data.readInt(); // file size
            if (!fourCc(data).equals("WAVE")) {
                throw new FormatException("The file is not a WAV file (RIFF but not WAVE)");
            }
            Wav format = null;
            while (true) {
                String id = fourCc(data);
                long size = Integer.toUnsignedLong(Integer.reverseBytes(data.readInt()));
                if (id.equals("fmt ")) {
                    int audioFormat = Short.toUnsignedInt(Short.reverseBytes(data.readShort()));
                    int channels = Short.toUnsignedInt(Short.reverseBytes(data.readShort()));
                    int rate = Integer.reverseBytes(data.readInt());
                    data.skipNBytes(6); // byte rate, block align
                    int bits = Short.toUnsignedInt(Short.reverseBytes(data.readShort()));
                    data.skipNBytes(size - 16 + (size & 1));
                    if ((audioFormat != 1 && audioFormat != 0xFFFE) || bits != 16) {
                        throw new FormatException("Only 16-bit PCM WAV files are supported (this one has format "
                                + audioFormat + ", " + bits + " bits)");
                    }
                    if (channels < 1 || rate < 8000 || rate > 192_000) {
                        throw new FormatException("The WAV file has " + channels + " channels at " + rate + " Hz");
                    }
                    format = new Wav(rate, channels);
                } else if (id.equals("data")) {
                    if (format == null) {
                        throw new FormatException("The WAV file has no format chunk before its data");
                    }
                    return format;
                } else {
                    data.skipNBytes(size + (size & 1)); // LIST, fact, ... chunks
                }
            }
        } catch (EOFException e) {
            throw new FormatException("The WAV file ends before its audio data");
        }
    }

    /** Writes {@code pcm}, mono 16-bit little-endian samples at {@code sampleRate}, as the WAV file {@code target}. */
    public static void write(java.nio.file.Path target, byte[] pcm, int sampleRate) throws IOException {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(44 + pcm.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(36 + pcm.length)
                .put("WAVE".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        b.put("fmt ".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1)
                .putShort((short) 1).putInt(sampleRate).putInt(sampleRate * 2).putShort((short) 2).putShort((short) 16);
        b.put("data".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(pcm.length).put(pcm);
        java.nio.file.Files.write(target, b.array());
    }

    private static String fourCc(DataInputStream in) throws IOException {
        byte[] b = new byte[4];
        in.readFully(b);
        return new String(b, java.nio.charset.StandardCharsets.US_ASCII);
    }
}
