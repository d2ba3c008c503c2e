package org.harpjava.exapp.routes;

import java.util.regex.Pattern;

/**
 * The regular expression of {@code info.xml} that matches the same request paths as a Helidon path pattern:
 * {@code {name}} is one segment, {@code {+name}} and {@code *} are anything, the rest is literal.
 */
public final class PathRegex {
    private PathRegex() {
    }

    /** {@code ^/items/[^/]+$} for {@code /items/{id}}. */
    public static String of(String pattern) {
        StringBuilder regex = new StringBuilder("^");
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < pattern.length()) {
            char c = pattern.charAt(i);
            if (c == '{') {
                int end = pattern.indexOf('}', i);
                if (end < 0) {
                    throw new IllegalArgumentException("unclosed { in path " + pattern);
                }
                flush(regex, literal);
                regex.append(pattern.charAt(i + 1) == '+' ? ".+" : "[^/]+");
                i = end + 1;
            } else if (c == '*') {
                flush(regex, literal);
                regex.append(".*");
                i++;
            } else {
                literal.append(c);
                i++;
            }
        }
        flush(regex, literal);
        return regex.append('$').toString();
    }

    private static void flush(StringBuilder regex, StringBuilder literal) {
        if (!literal.isEmpty()) {
            String s = literal.toString();
            // Quote only what needs it, so the regex in info.xml stays readable.
            regex.append(s.chars().anyMatch(ch -> ".[]()?+^$|\\".indexOf(ch) >= 0) ? Pattern.quote(s) : s);
            literal.setLength(0);
        }
    }
}
