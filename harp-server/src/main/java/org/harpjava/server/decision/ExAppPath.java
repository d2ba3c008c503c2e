package org.harpjava.server.decision;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The parts of a raw request path {@code /exapps/<appid>/<target>}, and the rules that reject one.
 *
 * <p>The ExApp receives the raw target unchanged; routes and the lifecycle check see its {@link #canonical
 * canonical} form, so an encoded or padded spelling of a path cannot dodge the route that guards it. Traversal
 * is rejected in its plain, percent-encoded and double-encoded forms, with {@code /} or {@code \} as
 * separators, and whenever the canonical form would climb above the app's root.
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
     * @param appId         the app id as written (case kept, for {@code EX-APP-ID})
     * @param targetPath    the raw path below the app, starting with {@code /}
     * @param canonicalPath {@link #canonical(String) canonical} form of {@code targetPath}, which routes match
     */
    public record Target(String appId, String targetPath, String canonicalPath) implements Parsed {
        /** A target whose canonical path is computed; {@code targetPath} must not climb above the root. */
        public Target(String appId, String targetPath) {
            this(appId, targetPath, canonical(targetPath).orElseThrow(
                    () -> new IllegalArgumentException("not a valid target path: " + targetPath)));
        }

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
        if (!printableAscii(rawPath)) {
            // Helidon reads raw 8-bit bytes in a path as U+FFFD; forwarded, they would turn into '?'.
            return new Rejected(Rejection.failure(400, "Bad Request: raw non-ASCII byte or control character in path"));
        }
        String decoded = rawPath.indexOf('%') < 0 ? rawPath : percentDecode(rawPath);
        if (decoded == null) {
            return new Rejected(Rejection.failure(400, "Bad Request: malformed percent-encoding in path"));
        }
        // Every traversal needs two dots, plain or encoded; most paths have neither and skip the regex.
        boolean mayTraverse = rawPath.contains("..") || rawPath.indexOf('%') >= 0;
        if (mayTraverse && (TRAVERSAL.matcher(rawPath).find() || TRAVERSAL.matcher(decoded).find())) {
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
        Optional<String> canonical = canonical(target);
        if (canonical.isEmpty()) {
            return new Rejected(Rejection.failure(400, "Bad Request: path traversal is not allowed"));
        }
        return new Target(rawId, target, canonical.get());
    }

    private static boolean printableAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c >= 0x7f) {
                return false;
            }
        }
        return true;
    }

    /**
     * The form of a raw target path that routes match: percent-decoded once, split at {@code /} (encoded ones
     * too), each segment cut at its first {@code ;} (path parameters), empty and {@code .} segments dropped and
     * {@code ..} resolved. A trailing {@code /} is kept. Empty when an escape is malformed or when {@code ..}
     * would climb above the root.
     */
    public static Optional<String> canonical(String rawTarget) {
        String decoded = percentDecode(rawTarget);
        if (decoded == null) {
            return Optional.empty();
        }
        if (decoded.startsWith("/") && decoded.indexOf(';') < 0 && !decoded.contains("//")
                && !decoded.contains("/.")) {
            return Optional.of(decoded);
        }
        Deque<String> segments = new ArrayDeque<>();
        boolean directory = false;
        for (String part : decoded.split("/", -1)) {
            int semicolon = part.indexOf(';');
            String segment = semicolon < 0 ? part : part.substring(0, semicolon);
            directory = segment.isEmpty() || segment.equals(".") || segment.equals("..");
            if (segment.equals("..") && segments.pollLast() == null) {
                return Optional.empty();
            }
            if (!directory) {
                segments.addLast(segment);
            }
        }
        String path = "/" + String.join("/", segments);
        return Optional.of(directory && !segments.isEmpty() ? path + "/" : path);
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
