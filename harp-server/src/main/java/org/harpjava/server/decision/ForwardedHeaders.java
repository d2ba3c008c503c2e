package org.harpjava.server.decision;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Which headers cross the proxy, in each direction, and the values the proxy adds. Header names are lower case.
 *
 * <p>Hop-by-hop headers (RFC 9110 section 7.6.1, and every name listed in {@code Connection}) never cross. The
 * AppAPI headers, {@code harp-shared-key} and the forwarding headers are always set by the proxy itself, so a
 * client cannot inject them; {@code ex-app-*} and {@code aa-*} pass only on requests AppAPI signed.
 */
public final class ForwardedHeaders {
    /** Hop-by-hop headers of RFC 9110 and their common non-standard kin. */
    public static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-connection", "te",
            "trailer", "transfer-encoding", "upgrade", "proxy-authenticate", "proxy-authorization");

    /** Headers the proxy sets on the upstream request itself. */
    static final Set<String> SET_BY_PROXY = Set.of("authorization-app-api", "ex-app-id", "ex-app-version",
            "aa-version", "harp-shared-key", "x-forwarded-for", "x-forwarded-proto", "x-forwarded-host",
            "content-length", "expect", "host");

    private ForwardedHeaders() {
    }

    /**
     * Whether a client request header goes on to the ExApp.
     *
     * @param name             lower-case header name
     * @param signed           whether AppAPI signed the request
     * @param connectionTokens lower-case names listed in the request's {@code Connection} header
     * @param excluded         the matched route's {@code headers_to_exclude}
     */
    public static boolean toExApp(String name, boolean signed, Set<String> connectionTokens, Set<String> excluded) {
        if (HOP_BY_HOP.contains(name) || connectionTokens.contains(name) || SET_BY_PROXY.contains(name)
                || excluded.contains(name)) {
            return false;
        }
        return signed || !(name.startsWith("ex-app-") || name.startsWith("aa-"));
    }

    /**
     * Headers that name the client's address in other spellings than {@code X-Forwarded-For}: believed, and
     * passed on, only from a trusted proxy, since anyone else could claim any address with them.
     */
    public static final Set<String> CLIENT_ADDRESS = Set.of("x-real-ip", "forwarded");

    /** Whether an ExApp response header goes back to the client ({@code Content-Length} is handled apart). */
    public static boolean toClient(String name, Set<String> connectionTokens) {
        return !HOP_BY_HOP.contains(name) && !connectionTokens.contains(name) && !"content-length".equals(name);
    }

    /** Whether a client header goes on to Nextcloud's {@code harp/user-info} (its cookies and credentials do). */
    public static boolean passesToUserInfo(String name) {
        return !(HOP_BY_HOP.contains(name) || SET_BY_PROXY.contains(name)
                || name.startsWith("ex-app-") || name.startsWith("aa-"));
    }

    /** The lower-case names a {@code Connection} header lists. */
    public static Set<String> connectionTokens(Iterable<String> connectionValues) {
        Set<String> tokens = new HashSet<>();
        for (String value : connectionValues) {
            for (String t : value.split(",")) {
                String token = t.strip().toLowerCase(Locale.ROOT);
                if (!token.isEmpty()) {
                    tokens.add(token);
                }
            }
        }
        return tokens;
    }

    /** {@code AUTHORIZATION-APP-API} for {@code userId} (empty for anonymous) and the ExApp's secret. */
    public static String appApiAuthorization(String userId, String token) {
        return Base64.getEncoder().encodeToString((userId + ":" + token).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * {@code X-Forwarded-For} for the ExApp: the chain a trusted proxy sent, extended by that proxy's address;
     * from an untrusted peer, only the peer's address.
     */
    public static String forwardedFor(String peer, boolean peerTrusted, String incoming) {
        return peerTrusted && incoming != null && !incoming.isBlank() ? incoming.strip() + ", " + peer : peer;
    }
}
