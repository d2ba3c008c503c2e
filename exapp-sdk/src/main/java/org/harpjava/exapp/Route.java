package org.harpjava.exapp;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares an HTTP handler of the ExApp, and with it a route of {@code appinfo/info.xml}.
 *
 * <p>The annotated method takes any of {@link io.helidon.webserver.http.ServerRequest},
 * {@link io.helidon.webserver.http.ServerResponse}, {@link Caller} and
 * {@link org.harpjava.exapp.nextcloud.NextcloudClient} (acting as the calling user, or as the app when there is
 * none), in any order:
 * <pre>{@code
 * @Route(path = "/api/notes/{id}", methods = "GET", access = AccessLevel.USER)
 * void note(ServerRequest req, ServerResponse res, Caller caller, NextcloudClient nextcloud) { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Route {
    /** Helidon path pattern, such as {@code /api/items/{id}} or {@code /static/*}; starts with {@code /}. */
    String path();

    /** HTTP methods served; empty means every method. */
    String[] methods() default {};

    /** Who may call the route. */
    AccessLevel access() default AccessLevel.USER;

    /** Response statuses that count as a failed attempt of the client (brute-force protection). */
    int[] bruteforce() default {};

    /** Request headers the proxy must not pass to the ExApp on this route, such as {@code Cookie}. */
    String[] excludeHeaders() default {};

    /**
     * The route's regular expression in {@code info.xml}; by default derived from {@link #path()}. Set it when
     * one declared route should cover several handlers.
     */
    String url() default "";
}
