package org.harpjava.server.docker;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** A minimal ustar archive of small regular files (mode 0644, owned by root), for uploads into containers. */
final class Tar {
    private static final int BLOCK = 512;

    private Tar() {
    }

    static byte[] of(Map<String, byte[]> files) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long now = System.currentTimeMillis() / 1000;
        files.forEach((name, data) -> {
            byte[] header = new byte[BLOCK];
            put(header, 0, 100, name);
            put(header, 100, 8, octal(0644, 7));
            put(header, 108, 8, octal(0, 7));
            put(header, 116, 8, octal(0, 7));
            put(header, 124, 12, octal(data.length, 11));
            put(header, 136, 12, octal(now, 11));
            for (int i = 148; i < 156; i++) {
                header[i] = ' ';
            }
            header[156] = '0';
            put(header, 257, 6, "ustar");
            put(header, 263, 2, "00");
            put(header, 265, 32, "root");
            put(header, 297, 32, "root");
            long sum = 0;
            for (byte b : header) {
                sum += b & 0xff;
            }
            put(header, 148, 8, octal(sum, 6));
            header[154] = 0;
            header[155] = ' ';
            out.writeBytes(header);
            out.writeBytes(data);
            out.writeBytes(new byte[(BLOCK - data.length % BLOCK) % BLOCK]);
        });
        out.writeBytes(new byte[2 * BLOCK]);
        return out.toByteArray();
    }

    private static String octal(long value, int digits) {
        String s = Long.toOctalString(value);
        return "0".repeat(Math.max(0, digits - s.length())) + s;
    }

    private static void put(byte[] header, int offset, int length, String value) {
        byte[] b = value.getBytes(StandardCharsets.US_ASCII);
        if (b.length > length) {
            throw new IllegalArgumentException("tar field too long: " + value);
        }
        System.arraycopy(b, 0, header, offset, b.length);
    }
}
