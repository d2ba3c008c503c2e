package org.harpjava.exapp.manifest;

import org.harpjava.exapp.AccessLevel;
import org.harpjava.exapp.routes.DeclaredRoute;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * One {@code <route>} of {@code info.xml}, normalised so that two routes that mean the same are equal: verbs
 * upper-case, without repeats and in a fixed order (an empty list means every method), brute-force statuses sorted
 * without repeats, excluded headers without repeats (ignoring case) and sorted.
 *
 * @param url              regular expression matched against the request path
 * @param verbs            HTTP methods, empty for all
 * @param access           who may call the route
 * @param bruteforce       response statuses that count as failed attempts
 * @param headersToExclude request headers the PHP proxy does not pass on
 */
public record ManifestRoute(String url, List<String> verbs, AccessLevel access, List<Integer> bruteforce,
                            List<String> headersToExclude) {
    /**
     * Every method an ExApp route can serve, in the order they are written. A route that lists all of them
     * serves every method; AppAPI requires a {@code <verb>}, so "every method" is written out this way.
     */
    public static final List<String> ALL_VERBS = List.of("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS");

    public ManifestRoute {
        if (url == null || access == null) {
            throw new IllegalArgumentException("a route needs a url and an access level");
        }
        verbs = normaliseVerbs(verbs);
        bruteforce = List.copyOf(new TreeSet<>(bruteforce));
        TreeSet<String> headers = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        headers.addAll(headersToExclude);
        headersToExclude = List.copyOf(headers);
    }

    /** The route {@code info.xml} must list for a declaration. */
    public static ManifestRoute of(DeclaredRoute route) {
        return new ManifestRoute(route.url(), route.verbs(), route.access(), route.bruteforce(),
                route.excludeHeaders());
    }

    /** Whether the route serves every method. */
    public boolean allVerbs() {
        return verbs.isEmpty();
    }

    /** The {@code <verb>} text: the verbs comma-joined, or {@link #ALL_VERBS} when the route serves every method. */
    public String verbText() {
        return String.join(",", allVerbs() ? ALL_VERBS : verbs);
    }

    /** The {@code <bruteforce_protection>} text, a JSON array. */
    public String bruteforceJson() {
        return bruteforce.stream().map(String::valueOf).collect(Collectors.joining(",", "[", "]"));
    }

    /** The {@code <headers_to_exclude>} text, a JSON array. */
    public String headersJson() {
        return headersToExclude.stream().map(ManifestRoute::jsonString).collect(Collectors.joining(",", "[", "]"));
    }

    /** Whether a request with {@code method} can use this route. */
    public boolean admits(String method) {
        return allVerbs() || verbs.contains(method.toUpperCase(Locale.ROOT));
    }

    /** Whether some method is served by both routes. */
    public boolean sharesVerbWith(ManifestRoute other) {
        return allVerbs() || other.allVerbs() || verbs.stream().anyMatch(other.verbs::contains);
    }

    /** For messages: {@code ^/api$ GET,POST USER}. */
    public String describe() {
        StringBuilder s = new StringBuilder(url).append(' ').append(allVerbs() ? "(all methods)" : String.join(",", verbs))
                .append(' ').append(access);
        if (!bruteforce.isEmpty()) {
            s.append(" bruteforce ").append(bruteforceJson());
        }
        if (!headersToExclude.isEmpty()) {
            s.append(" excluding ").append(headersJson());
        }
        return s.toString();
    }

    private static List<String> normaliseVerbs(Collection<String> raw) {
        List<String> known = new ArrayList<>();
        List<String> other = new ArrayList<>();
        for (String v : raw) {
            String verb = v.strip().toUpperCase(Locale.ROOT);
            if (verb.isEmpty()) {
                continue;
            }
            if (ALL_VERBS.contains(verb)) {
                if (!known.contains(verb)) {
                    known.add(verb);
                }
            } else if (!other.contains(verb)) {
                other.add(verb);
            }
        }
        if (known.size() == ALL_VERBS.size()) {
            return List.of();
        }
        List<String> ordered = new ArrayList<>(ALL_VERBS);
        ordered.retainAll(known);
        ordered.addAll(other);
        return List.copyOf(ordered);
    }

    private static String jsonString(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
