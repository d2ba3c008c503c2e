package org.harpjava.server.decision;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The parts of a raw request path {@code /exapps/<appid>/<target>}, and the rules that reject one.
 *
 * <p>Paths are handled undecoded, as HaRP does: routes match the raw target path and the ExApp receives it
 * unchanged. Traversal is rejected in its plain, percent-encoded and double-encoded forms, with {@code /} or
 * {@code \} as separators.
 */
public final class ExAppPath {
    /** The prefix under which every ExApp is served. */
    public static final String PREFIX = "/exapps/";

    private static final Pattern TRAVERSAL =
            Pattern.compile("(?:^|/|\\\\|%2[fF]|%5[cC])(?:\\.|%2[eE]){2}(?:/|\\\\|%2[fF]|%5[cC]|$)");
    private static final Pattern APP_ID = Pattern.compile("[A-Za-z0-9_.-]{1,128}");

    private ExAppPath() {
    }

    /** The outcome of parsing a path. */
    public sealed interface Parsed permits Target, Rejected {
    }

    /**
     * A path that names an ExApp.
     *
     * @param appId      the app id as written (case kept, for {@code EX-APP-ID})
     * @param targetPath the raw path below the app, starting with {@code /}
     */
    public record Target(String appId, String targetPath) implements Parsed {
        /** The app id used as cache and Nextcloud lookup key. */
        public String key() {
            return appId.toLowerCase(Locale.ROOT);
        }
    }

    /** A path that is refused. */
    public record Rejected(Rejection rejection) implements Parsed {
    }

    /** Parses the raw (undecoded, query-less) request path. */
    public static Parsed parse(String rawPath) {
        String decoded = rawPath.indexOf('%') < 0 ? rawPath : percentDecode(rawPath);
        if (decoded == null) {
            return new Rejected(Rejection.failure(400, "Bad Request: malformed percent-encoding in path"));
        }
        if (TRAVERSAL.matcher(rawPath).find() || TRAVERSAL.matcher(decoded).find()) {
            return new Rejected(Rejection.failure(400, "Bad Request: path traversal is not allowed"));
        }
        if (!rawPath.startsWith(PREFIX)) {
            return new Rejected(Rejection.failure(404, "Not Found: expected /exapps/<appid>/..."));
        }
        int end = rawPath.indexOf('/', PREFIX.length());
        String rawId = end < 0 ? rawPath.substring(PREFIX.length()) : rawPath.substring(PREFIX.length(), end);
        String target = end < 0 ? "/" : rawPath.substring(end);
        if (!APP_ID.matcher(rawId).matches()) {
            return new Rejected(Rejection.failure(404, "Not Found: invalid app id"));
        }
        return new Target(rawId, target);
    }

    /** Decodes %XX escapes once; {@code null} when an escape is malformed. */
    public static String percentDecode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    return null;
                }
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                out.write(hi * 16 + lo);
                i += 2;
            } else if (c < 0x80) {
                out.write(c);
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
