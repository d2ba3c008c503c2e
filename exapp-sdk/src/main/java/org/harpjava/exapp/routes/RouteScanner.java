package org.harpjava.exapp.routes;

import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import org.harpjava.exapp.Caller;
import org.harpjava.exapp.Route;
import org.harpjava.exapp.WebSocketRoute;
import org.harpjava.exapp.nextcloud.NextcloudClient;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Finds the {@link Route} and {@link WebSocketRoute} methods of a class and checks them: a path starting with
 * {@code /}, known HTTP methods, statuses from 100 to 599, parameters the SDK can supply. Used both when the ExApp
 * starts and when the build writes or checks {@code info.xml}, so both see the same routes.
 */
public final class RouteScanner {
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS");
    private static final Set<Class<?>> HTTP_PARAMETERS = Set.of(ServerRequest.class, ServerResponse.class, Caller.class,
            NextcloudClient.class);
    /** Paths the SDK serves itself, for AppAPI. */
    public static final Set<String> RESERVED = Set.of("/heartbeat", "/init", "/enabled", "/trigger", "/setup_checks");

    private RouteScanner() {
    }

    /** The routes of {@code type}, in a stable order (by path, then method name). */
    public static List<DeclaredRoute> scan(Class<?> type) {
        List<DeclaredRoute> routes = new ArrayList<>();
        Method[] methods = type.getDeclaredMethods();
        Arrays.sort(methods, Comparator.comparing(Method::getName));
        for (Method m : methods) {
            Route http = m.getAnnotation(Route.class);
            WebSocketRoute ws = m.getAnnotation(WebSocketRoute.class);
            if (http != null && ws != null) {
                throw invalid(m, "has both @Route and @WebSocketRoute");
            }
            if (http != null) {
                routes.add(http(m, http));
            } else if (ws != null) {
                routes.add(webSocket(m, ws));
            }
        }
        routes.sort(Comparator.comparing(DeclaredRoute::path));
        return routes;
    }

    private static DeclaredRoute http(Method m, Route r) {
        checkCommon(m, r.path());
        for (Class<?> p : m.getParameterTypes()) {
            if (!HTTP_PARAMETERS.contains(p)) {
                throw invalid(m, "has a parameter of type " + p.getSimpleName()
                        + "; a @Route method takes ServerRequest, ServerResponse, Caller and NextcloudClient only");
            }
        }
        List<String> verbs = new ArrayList<>();
        for (String v : r.methods()) {
            String verb = v.strip().toUpperCase(Locale.ROOT);
            if (!METHODS.contains(verb)) {
                throw invalid(m, "declares unknown HTTP method \"" + v + "\"");
            }
            if (!verbs.contains(verb)) {
                verbs.add(verb);
            }
        }
        String url = r.url().isEmpty() ? PathRegex.of(r.path()) : r.url();
        checkRegex(m, url);
        return new DeclaredRoute(r.path(), url, verbs, r.access(), statuses(m, r.bruteforce()),
                List.of(r.excludeHeaders()), false, m);
    }

    private static DeclaredRoute webSocket(Method m, WebSocketRoute r) {
        checkCommon(m, r.path());
        if (r.path().contains("{") || r.path().contains("*")) {
            throw invalid(m, "declares WebSocket path " + r.path() + "; WebSocket paths are exact");
        }
        Class<?>[] params = m.getParameterTypes();
        if (params.length > 1 || (params.length == 1 && params[0] != Caller.class)) {
            throw invalid(m, "must take nothing or a Caller");
        }
        if (!io.helidon.websocket.WsListener.class.isAssignableFrom(m.getReturnType())) {
            throw invalid(m, "must return a WsListener");
        }
        return new DeclaredRoute(r.path(), PathRegex.of(r.path()), List.of("GET"), r.access(),
                statuses(m, r.bruteforce()), List.of(), true, m);
    }

    private static void checkCommon(Method m, String path) {
        if (Modifier.isStatic(m.getModifiers())) {
            throw invalid(m, "is static; routes are instance methods");
        }
        if (!path.startsWith("/")) {
            throw invalid(m, "declares path \"" + path + "\", which does not start with /");
        }
        if (RESERVED.contains(path)) {
            throw invalid(m, "declares " + path + ", which the SDK serves for AppAPI");
        }
    }

    private static void checkRegex(Method m, String url) {
        try {
            java.util.regex.Pattern.compile(url);
        } catch (java.util.regex.PatternSyntaxException e) {
            throw invalid(m, "declares url \"" + url + "\", which is not a regular expression");
        }
    }

    private static List<Integer> statuses(Method m, int[] codes) {
        List<Integer> list = new ArrayList<>();
        for (int c : codes) {
            if (c < 100 || c > 599) {
                throw invalid(m, "declares brute-force status " + c + ", which is not an HTTP status");
            }
            list.add(c);
        }
        return list;
    }

    private static IllegalArgumentException invalid(Method m, String problem) {
        return new IllegalArgumentException(m.getDeclaringClass().getName() + "." + m.getName() + " " + problem);
    }
}
