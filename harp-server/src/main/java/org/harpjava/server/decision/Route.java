package org.harpjava.server.decision;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One route an ExApp declares: a regular expression matched from the start of the path (after
 * {@code /exapps/<appid>}), the verbs it admits (empty means all), its access level, the response statuses that
 * count as brute-force failures, and request headers never forwarded on it.
 *
 * @param url              the regular expression as declared, anchored at the start only
 * @param pattern          {@code url} compiled
 * @param verbs            upper-case method names; empty admits every method
 * @param accessLevel      the level a caller needs
 * @param bruteforceStatus response statuses that count as a failure against the client
 * @param headersToExclude lower-case header names removed from the forwarded request
 */
public record Route(String url, Pattern pattern, Set<String> verbs, AccessLevel accessLevel,
                    Set<Integer> bruteforceStatus, Set<String> headersToExclude) {

    public Route {
        verbs = Set.copyOf(verbs);
        bruteforceStatus = Set.copyOf(bruteforceStatus);
        headersToExclude = Set.copyOf(headersToExclude);
    }

    /** A route as AppAPI's {@code exapp-meta} sends it today: url, level and brute-force statuses only. */
    public static Route of(String url, AccessLevel level, Set<Integer> bruteforceStatus) {
        return new Route(url, Pattern.compile(url), Set.of(), level, bruteforceStatus, Set.of());
    }

    /** Whether the path matches from its start, as Python's {@code re.match} does. */
    public boolean matchesPath(String path) {
        return pattern.matcher(path).lookingAt();
    }

    /** Whether {@code method} is admitted; a route that admits GET also admits HEAD. */
    public boolean admitsVerb(String method) {
        if (verbs.isEmpty()) {
            return true;
        }
        String m = method.toUpperCase(Locale.ROOT);
        return verbs.contains(m) || ("HEAD".equals(m) && verbs.contains("GET"));
    }
}
