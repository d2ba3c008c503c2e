package org.harpjava.exapp.testkit;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Reads the parts of a {@code multipart/form-data} body. */
final class MultipartForm {
    /** One part: its field name, file name ("" for none) and content. */
    record Part(String name, String filename, byte[] content) {
    }

    private MultipartForm() {
    }

    /** The parts of {@code body} by field name; empty when the content type is not multipart. */
    static Map<String, Part> parse(Optional<String> contentType, byte[] body) {
        Map<String, Part> parts = new LinkedHashMap<>();
        String ct = contentType.orElse("");
        int b = ct.toLowerCase(Locale.ROOT).indexOf("boundary=");
        if (!ct.toLowerCase(Locale.ROOT).startsWith("multipart/form-data") || b < 0) {
            return parts;
        }
        String boundary = ct.substring(b + "boundary=".length()).replace("\"", "").strip();
        int semi = boundary.indexOf(';');
        if (semi >= 0) {
            boundary = boundary.substring(0, semi);
        }
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        int pos = indexOf(body, delimiter, 0);
        while (pos >= 0) {
            int start = pos + delimiter.length;
            if (start + 2 <= body.length && body[start] == '-' && body[start + 1] == '-') {
                break;
            }
            start += 2;
            int headEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), start);
            int next = indexOf(body, ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1), start);
            if (headEnd < 0 || next < 0) {
                break;
            }
            String head = new String(body, start, headEnd - start, StandardCharsets.UTF_8);
            String name = attribute(head, "name");
            String filename = attribute(head, "filename");
            parts.put(name, new Part(name, filename, Arrays.copyOfRange(body, headEnd + 4, next)));
            pos = next + 2;
        }
        return parts;
    }

    private static String attribute(String head, String attr) {
        String key = " " + attr + "=\"";
        int i = head.indexOf(key);
        if (i < 0) {
            key = ";" + attr + "=\"";
            i = head.indexOf(key);
        }
        if (i < 0) {
            return "";
        }
        int end = head.indexOf('"', i + key.length());
        return end < 0 ? "" : head.substring(i + key.length(), end);
    }

    private static int indexOf(byte[] data, byte[] needle, int from) {
        outer:
        for (int i = Math.max(0, from); i <= data.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (data[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
