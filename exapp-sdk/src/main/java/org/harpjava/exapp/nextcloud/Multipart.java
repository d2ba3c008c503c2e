package org.harpjava.exapp.nextcloud;

import java.io.ByteArrayInputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;

/** A {@code multipart/form-data} body with one file field, streamed from its source. */
final class Multipart {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Multipart() {
    }

    /**
     * The body with {@code field} holding the content of {@code source}.
     *
     * @param length     the content's size, or -1 when unknown (the body is then sent chunked)
     * @param repeatable whether {@code source} can be opened again for a retry
     */
    static Body file(String field, String filename, long length, boolean repeatable, Body.Source source) {
        byte[] token = new byte[12];
        RANDOM.nextBytes(token);
        String boundary = "----harp-java-" + HexFormat.of().formatHex(token);
        String safeName = filename.replace("\r", "").replace("\n", "").replace("\"", "%22");
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field + "\"; filename=\""
                + safeName + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        long total = length < 0 ? -1 : head.length + length + tail.length;
        return new Body.Streamed("multipart/form-data; boundary=" + boundary, total, repeatable,
                () -> new SequenceInputStream(java.util.Collections.enumeration(List.of(
                        new ByteArrayInputStream(head), source.open(), new ByteArrayInputStream(tail)))));
    }

}
