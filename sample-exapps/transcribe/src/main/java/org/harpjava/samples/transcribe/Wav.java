package org.harpjava.samples.transcribe;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** WAV files of 16 kHz mono 16-bit PCM, what the engines take: the 44-byte header, and whole files. */
final class Wav {
    static final int SAMPLE_RATE = 16000;
    static final int HEADER_BYTES = 44;

    private Wav() {
    }

    /** The header of a file with {@code dataBytes} bytes of samples. */
    static byte[] header(long dataBytes) {
        int data = (int) Math.min(dataBytes, 0xFFFF_FFFFL - 36);
        ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + data).put("WAVE".getBytes(StandardCharsets.US_ASCII));
        b.put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1).putShort((short) 1)
                .putInt(SAMPLE_RATE).putInt(SAMPLE_RATE * 2).putShort((short) 2).putShort((short) 16);
        b.put("data".getBytes(StandardCharsets.US_ASCII)).putInt(data);
        return b.array();
    }

    /** Writes {@code pcm}, 16 kHz mono 16-bit little-endian samples, as the WAV file {@code target}. */
    static void write(Path target, byte[] pcm) throws IOException {
        try (var out = Files.newOutputStream(target)) {
            out.write(header(pcm.length));
            out.write(pcm);
        }
    }
}
