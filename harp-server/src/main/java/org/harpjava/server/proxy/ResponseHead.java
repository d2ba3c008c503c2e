package org.harpjava.server.proxy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The status line and headers of an ExApp's response, as read from the wire.
 *
 * @param http10        whether the ExApp answered with HTTP/1.0
 * @param status        status code
 * @param reason        reason phrase
 * @param headers       name and value of each header line, in order
 * @param contentLength the declared length, or -1
 * @param chunked       whether the body is chunked
 * @param close         whether the ExApp will close the connection after this response
 */
record ResponseHead(boolean http10, int status, String reason, List<String[]> headers, long contentLength,
                    boolean chunked, boolean close) {
    static final int MAX_LINE = 16 * 1024;
    static final int MAX_HEAD = 64 * 1024;

    /** Reads a head from {@code in}; EOF before the first byte is an {@link EOFException}. */
    static ResponseHead read(UpstreamInput in) throws IOException {
        int[] budget = {MAX_HEAD};
        String statusLine = in.readLine(budget, true);
        if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12 || statusLine.charAt(8) != ' ') {
            throw new MalformedResponseException("not an HTTP/1.x status line");
        }
        boolean http10 = statusLine.charAt(7) == '0';
        int status;
        try {
            status = Integer.parseInt(statusLine.substring(9, 12));
        } catch (NumberFormatException e) {
            throw new MalformedResponseException("bad status code");
        }
        if (status < 100 || status > 999 || (statusLine.length() > 12 && statusLine.charAt(12) != ' ')) {
            throw new MalformedResponseException("bad status code");
        }
        String reason = statusLine.length() > 13 ? statusLine.substring(13) : "";
        List<String[]> headers = new ArrayList<>(16);
        long length = -1;
        boolean chunked = false;
        boolean close = http10;
        for (String line; !(line = in.readLine(budget, false)).isEmpty(); ) {
            int colon = line.indexOf(':');
            if (colon <= 0 || line.charAt(colon - 1) == ' ' || line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                throw new MalformedResponseException("bad header line");
            }
            String name = line.substring(0, colon);
            String value = line.substring(colon + 1).strip();
            headers.add(new String[] {name, value});
            switch (name.toLowerCase(Locale.ROOT)) {
                case "content-length" -> {
                    long l = parseLength(value);
                    if (length >= 0 && l != length) {
                        throw new MalformedResponseException("conflicting Content-Length");
                    }
                    length = l;
                }
                case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).endsWith("chunked");
                case "connection" -> {
                    String v = value.toLowerCase(Locale.ROOT);
                    if (v.contains("close")) {
                        close = true;
                    } else if (http10 && v.contains("keep-alive")) {
                        close = false;
                    }
                }
                default -> {
                }
            }
        }
        if (chunked) {
            length = -1;
        }
        return new ResponseHead(http10, status, reason, headers, length, chunked, close);
    }

    private static long parseLength(String value) throws MalformedResponseException {
        if (value.isEmpty() || value.length() > 18) {
            throw new MalformedResponseException("bad Content-Length");
        }
        long length = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                throw new MalformedResponseException("bad Content-Length");
            }
            length = length * 10 + (c - '0');
        }
        return length;
    }

    /** The ExApp broke HTTP/1.1 framing; its connection cannot be used again. */
    static final class MalformedResponseException extends IOException {
        MalformedResponseException(String message) {
            super(message);
        }
    }
}
