package org.harpjava.server.proxy;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.harpjava.server.testing.Http;
import org.harpjava.server.testing.PublicAppProxy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A trusted proxy that adds its own {@code X-Forwarded-For} line (HAProxy's {@code option forwardfor} does)
 * instead of appending to the client's: the client's line must not decide who the client is.
 */
class ForwardedForLinesTest {
    private static final String KEY = "xff-key";

    private PublicAppProxy proxy;

    @BeforeEach
    void start() throws IOException {
        proxy = PublicAppProxy.start(KEY, Map.of("HP_TRUSTED_PROXY_IPS", "127.0.0.1", "HP_BLACKLIST_COUNT", "1"));
    }

    @AfterEach
    void stop() {
        proxy.close();
    }

    private int status(String path, String... xff) {
        StringBuilder head = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: h");
        for (String line : xff) {
            head.append("\r\nX-Forwarded-For: ").append(line);
        }
        return Http.status(Http.raw(proxy.port(), head.toString()));
    }

    @Test
    void theLineAddedByTheTrustedProxyNamesTheClient() {
        assertEquals(404, status("/exapps/nope/x", "6.6.6.6", "7.7.7.7"));
        assertEquals(429, status("/exapps/app/echo", "7.7.7.7"));
        assertEquals(200, status("/exapps/app/echo", "6.6.6.6"));
    }

    @Test
    void everyLineReachesTheExAppInOrder() throws IOException {
        String raw = Http.raw(proxy.port(), "GET /exapps/app/echo HTTP/1.1\r\nHost: h\r\nX-Forwarded-For: 6.6.6.6\r\n"
                + "X-Forwarded-For: 7.7.7.7");
        String body = raw.substring(raw.indexOf("\r\n\r\n") + 4);
        if (raw.toLowerCase().contains("transfer-encoding: chunked")) {
            body = body.substring(body.indexOf("\r\n") + 2, body.lastIndexOf("\r\n0\r\n"));
        }
        String xff = new ObjectMapper().readTree(body).get("headers").get("x-forwarded-for").get(0).asText();
        assertEquals("6.6.6.6, 7.7.7.7, 127.0.0.1", xff);
    }
}
