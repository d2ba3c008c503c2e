package org.harpjava.exapp.transport;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

import java.util.Locale;

/**
 * Ends the connection once the response is sent when the request said {@code Connection: close}: Helidon (4.2 and
 * 4.5.0 alike) announces the close but keeps the connection open, so a client reading to the end of the stream
 * would wait.
 */
public final class CloseAfterResponse implements Filter {
    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        chain.proceed();
        boolean close = false;
        for (String v : req.headers().values(HeaderNames.CONNECTION)) {
            close |= v.toLowerCase(Locale.ROOT).contains("close");
        }
        if (close && res.isSent()) {
            throw new CloseConnectionException("the client asked to close the connection");
        }
    }
}
