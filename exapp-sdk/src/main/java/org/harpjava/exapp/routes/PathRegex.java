package org.harpjava.exapp.routes;

/**
 * The regular expression of {@code info.xml} that matches the same request paths as a Helidon path pattern:
 * {@code {name}} is one segment, {@code {+name}} and {@code *} are anything, the rest is literal.
 */
public final class PathRegex {
    private static final String SPECIAL = ".[]{}()?+*^$|\\";
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
            // A backslash before each special character: \Q...\E quoting is Java's alone, and HaRP matches with
            // Python's re, Nextcloud's PHP proxy with PCRE.
            for (int i = 0; i < literal.length(); i++) {
                char c = literal.charAt(i);
                if (SPECIAL.indexOf(c) >= 0) {
                    regex.append('\\');
                }
                regex.append(c);
            }
            literal.setLength(0);
        }
    }
}
