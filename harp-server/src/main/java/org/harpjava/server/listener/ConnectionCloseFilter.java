package org.harpjava.server.listener;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * Closes the client connection after the response when the request asked for it with {@code Connection: close}
 * (RFC 9112 section 9.6). Helidon (4.2 and 4.5.0 alike) announces the close in the response but keeps reading the
 * connection until the client or the idle timeout ends it, which leaves a client waiting for the end of the stream
 * hanging.
 */
public final class ConnectionCloseFilter implements Filter {
    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        chain.proceed();
        if (res.isSent() && req.headers().contains(HeaderNames.CONNECTION)
                && req.headers().values(HeaderNames.CONNECTION).stream()
                .anyMatch(v -> v.toLowerCase(java.util.Locale.ROOT).contains("close"))) {
            throw new CloseConnectionException("client asked to close the connection");
        }
    }
}
