package org.harpjava.exapp;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a WebSocket endpoint of the ExApp, and with it a {@code GET} route of {@code appinfo/info.xml}.
 *
 * <p>The annotated method is called once per accepted connection, after AppAPI authentication of the handshake,
 * takes nothing or a {@link Caller}, and returns the {@link io.helidon.websocket.WsListener} of that connection:
 * <pre>{@code
 * @WebSocketRoute(path = "/ws", access = AccessLevel.USER)
 * WsListener chat(Caller caller) { return new ChatSession(caller); }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface WebSocketRoute {
    /** Exact path of the endpoint; starts with {@code /}. */
    String path();

    /** Who may connect. */
    AccessLevel access() default AccessLevel.USER;

    /** Handshake statuses that count as a failed attempt of the client (brute-force protection). */
    int[] bruteforce() default {};
}
