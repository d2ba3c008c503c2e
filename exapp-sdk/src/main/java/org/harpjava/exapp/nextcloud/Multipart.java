package org.harpjava.exapp.nextcloud;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;

/** A {@code multipart/form-data} body with one file field, streamed from its source. */
final class Multipart {
    /** Opens the file content; called once per attempt. */
    @FunctionalInterface
    interface Source {
        InputStream open() throws IOException;
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private Multipart() {
    }

    /**
     * The body with {@code field} holding the content of {@code source}.
     *
     * @param length     the content's size, or -1 when unknown
     * @param repeatable whether {@code source} can be opened again for a retry
     */
    static Body file(String field, String filename, long length, boolean repeatable, Source source) {
        byte[] token = new byte[12];
        RANDOM.nextBytes(token);
        String boundary = "----harp-java-" + HexFormat.of().formatHex(token);
        String safeName = filename.replace("\r", "").replace("\n", "").replace("\"", "%22");
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field + "\"; filename=\""
                + safeName + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        long total = length < 0 ? -1 : head.length + length + tail.length;
        return new Body.Streamed("multipart/form-data; boundary=" + boundary, total, repeatable, (OutputStream out) -> {
            out.write(head);
            try (InputStream in = source.open()) {
                in.transferTo(out);
            }
            out.write(tail);
        });
    }
}
