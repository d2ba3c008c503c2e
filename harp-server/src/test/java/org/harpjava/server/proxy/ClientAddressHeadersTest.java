package org.harpjava.server.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.harpjava.server.HarpServer;
import org.harpjava.server.testing.FakeNextcloud;
import org.harpjava.server.testing.Harp;
import org.harpjava.server.testing.Http;
import org.harpjava.server.testing.TestExApp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** {@code X-Real-IP} and {@code Forwarded} reach the ExApp only from trusted proxies: anyone else could forge them. */
class ClientAddressHeadersTest {
    private static final String KEY = "address-key";
    private static final ObjectMapper JSON = new ObjectMapper();

    private TestExApp exapp;
    private FakeNextcloud nextcloud;

    @BeforeEach
    void start() throws IOException {
        exapp = new TestExApp();
        nextcloud = new FakeNextcloud(KEY).app("app", "s", exapp.port(), "[{\"url\":\"^/\",\"access_level\":0}]");
    }

    @AfterEach
    void stop() {
        nextcloud.close();
        exapp.close();
    }

    private JsonNode headersSeenByTheExApp(String trustedProxies) throws IOException {
        Map<String, String> env = Harp.nextcloud(nextcloud, KEY);
        env.put("HP_TRUSTED_PROXY_IPS", trustedProxies);
        HarpServer harp = Harp.start(env);
        try {
            String raw = Http.raw(harp.port(), "GET /exapps/app/echo HTTP/1.1\r\nHost: h\r\nX-Real-IP: 6.6.6.6\r\n"
                    + "Forwarded: for=6.6.6.6");
            String body = raw.substring(raw.indexOf("\r\n\r\n") + 4);
            if (raw.toLowerCase().contains("transfer-encoding: chunked")) {
                body = body.substring(body.indexOf("\r\n") + 2, body.lastIndexOf("\r\n0\r\n"));
            }
            return JSON.readTree(body).get("headers");
        } finally {
            harp.stop();
        }
    }

    @Test
    void droppedFromAnUntrustedPeer() throws IOException {
        JsonNode headers = headersSeenByTheExApp("");
        assertFalse(headers.has("x-real-ip"), headers.toString());
        assertFalse(headers.has("forwarded"), headers.toString());
        assertEquals("127.0.0.1", headers.get("x-forwarded-for").get(0).asText());
    }

    @Test
    void keptFromATrustedProxy() throws IOException {
        JsonNode headers = headersSeenByTheExApp("127.0.0.1");
        assertEquals("6.6.6.6", headers.get("x-real-ip").get(0).asText());
        assertEquals("for=6.6.6.6", headers.get("forwarded").get(0).asText());
    }
}
