package org.harpjava.exapp.routes;

import org.harpjava.exapp.AccessLevel;

import java.lang.reflect.Method;
import java.util.List;

/**
 * One route as the code declares it with {@link org.harpjava.exapp.Route} or
 * {@link org.harpjava.exapp.WebSocketRoute}: what the SDK serves and what {@code appinfo/info.xml} must list.
 *
 * @param path           Helidon path pattern the handler is served on
 * @param url            regular expression of the route in {@code info.xml}
 * @param verbs          upper-case HTTP methods, empty for all
 * @param access         who may call it
 * @param bruteforce     statuses that count as failed attempts
 * @param excludeHeaders headers the proxy must not pass on
 * @param webSocket      whether this is a WebSocket endpoint
 * @param method         the handler method
 */
public record DeclaredRoute(String path, String url, List<String> verbs, AccessLevel access, List<Integer> bruteforce,
                            List<String> excludeHeaders, boolean webSocket, Method method) {
    public DeclaredRoute {
        verbs = List.copyOf(verbs);
        bruteforce = List.copyOf(bruteforce);
        excludeHeaders = List.copyOf(excludeHeaders);
    }

    /** Where the route is declared, for messages: {@code Class.method}. */
    public String origin() {
        return method.getDeclaringClass().getName() + "." + method.getName();
    }
}
