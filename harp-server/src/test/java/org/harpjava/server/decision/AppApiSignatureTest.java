package org.harpjava.server.decision;

import org.harpjava.server.security.SharedKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AppApiSignatureTest {
    private static final SharedKey KEY = SharedKey.of("the-shared-key");

    /** The headers AppAPI sends through HaRP (buildAppAPIAuthHeaders plus HaRP's own). */
    private static Map<String, String> signed() {
        Map<String, String> h = new HashMap<>();
        h.put("ex-app-version", "1.2.0");
        h.put("ex-app-id", "app");
        h.put("ex-app-host", "nc_app_app");
        h.put("ex-app-port", "23000");
        h.put("authorization-app-api", "OnNlY3JldA==");
        h.put("harp-shared-key", "the-shared-key");
        h.put("aa-version", "5.0.0");
        h.put("aa-request-id", "CLI");
        return h;
    }

    @Test
    void theSixHeadersOfHarp() {
        assertEquals(List.of("ex-app-version", "ex-app-id", "ex-app-host", "ex-app-port", "authorization-app-api",
                "harp-shared-key"), AppApiSignature.HEADERS);
    }

    @Test
    void allHeadersAndTheRightKeyAreValid() {
        assertEquals(AppApiSignature.Kind.VALID, AppApiSignature.classify(signed()::get, KEY));
    }

    @Test
    void aWrongKeyIsBad() {
        Map<String, String> h = signed();
        h.put("harp-shared-key", "the-shared-kez");
        assertEquals(AppApiSignature.Kind.BAD_KEY, AppApiSignature.classify(h::get, KEY));
        h.put("harp-shared-key", "THE-SHARED-KEY");
        assertEquals(AppApiSignature.Kind.BAD_KEY, AppApiSignature.classify(h::get, KEY), "the key is case-sensitive");
        h.put("harp-shared-key", "the-shared-key ");
        assertEquals(AppApiSignature.Kind.BAD_KEY, AppApiSignature.classify(h::get, KEY));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ex-app-version", "ex-app-id", "ex-app-host", "ex-app-port", "authorization-app-api",
            "harp-shared-key"})
    void anyMissingHeaderMakesAnOrdinaryRequest(String missing) {
        Map<String, String> h = signed();
        h.remove(missing);
        assertEquals(AppApiSignature.Kind.NONE, AppApiSignature.classify(h::get, KEY));
        h.put(missing, "");
        assertEquals(AppApiSignature.Kind.NONE, AppApiSignature.classify(h::get, KEY));
    }

    @Test
    void aaVersionIsNotRequired() {
        Map<String, String> h = signed();
        h.remove("aa-version");
        h.remove("aa-request-id");
        assertEquals(AppApiSignature.Kind.VALID, AppApiSignature.classify(h::get, KEY));
    }

    @Test
    void noHeadersIsOrdinary() {
        assertEquals(AppApiSignature.Kind.NONE, AppApiSignature.classify(name -> null, KEY));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/heartbeat", "/init", "/enabled", "/heartbeat/", "//heartbeat", "/enabled//", "//init/"})
    void lifecyclePaths(String path) {
        assertTrue(AppApiSignature.isLifecyclePath(path), path);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "", "/heartbeats", "/api/heartbeat", "/init/x", "/enabledx", "/Heartbeat", "/INIT",
            "heartbeat", "/heart/beat", "/public"})
    void otherPathsAreNotLifecycle(String path) {
        assertFalse(AppApiSignature.isLifecyclePath(path), path);
    }

    @Test
    void fallbackBuildsMetadataFromTheRequest() {
        ExAppMeta meta = AppApiSignature.fallback("My_App", signed()::get).orElseThrow();
        assertEquals("My_App", meta.appId());
        assertEquals("", meta.token(), "signed requests keep the AUTHORIZATION-APP-API AppAPI sent");
        assertEquals("1.2.0", meta.version());
        assertEquals("nc_app_app", meta.host());
        assertEquals(23000, meta.port());
        assertTrue(meta.routes().isEmpty());
    }

    @Test
    void fallbackTrimsHostAndPort() {
        Map<String, String> h = signed();
        h.put("ex-app-host", " 10.0.0.7 ");
        h.put("ex-app-port", " 1 ");
        ExAppMeta meta = AppApiSignature.fallback("a", h::get).orElseThrow();
        assertEquals("10.0.0.7", meta.host());
        assertEquals(1, meta.port());
    }

    @Test
    void fallbackWithoutVersionHasAnEmptyOne() {
        Map<String, String> h = signed();
        h.remove("ex-app-version");
        assertEquals("", AppApiSignature.fallback("a", h::get).orElseThrow().version());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "65536", "99999", "-1", "abc", "", " ", "80x", "1e3", "123456", "+80"})
    void fallbackNeedsAUsablePort(String port) {
        Map<String, String> h = signed();
        h.put("ex-app-port", port);
        assertEquals(Optional.empty(), AppApiSignature.fallback("a", h::get));
    }

    @Test
    void fallbackNeedsAHost() {
        Map<String, String> h = signed();
        h.put("ex-app-host", "  ");
        assertEquals(Optional.empty(), AppApiSignature.fallback("a", h::get));
        h.remove("ex-app-host");
        assertEquals(Optional.empty(), AppApiSignature.fallback("a", h::get));
        Map<String, String> noPort = signed();
        noPort.remove("ex-app-port");
        assertEquals(Optional.empty(), AppApiSignature.fallback("a", noPort::get));
    }
}
