package org.harpjava.server.decision;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ForwardedHeadersTest {
    private static final Set<String> NONE = Set.of();

    /** Header names as clients may spell them; callers pass them lower-cased with Locale.ROOT. */
    private static List<String> spellings(String name) {
        StringBuilder alternating = new StringBuilder();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            alternating.append(i % 2 == 0 ? Character.toUpperCase(c) : c);
        }
        return List.of(name, name.toUpperCase(Locale.ROOT), alternating.toString());
    }

    private static boolean toExApp(String wireName, boolean signed) {
        return ForwardedHeaders.toExApp(wireName.toLowerCase(Locale.ROOT), signed, NONE, NONE);
    }

    @Test
    void hopByHopHeadersOfRfc9110() {
        for (String h : List.of("connection", "proxy-connection", "keep-alive", "te", "transfer-encoding", "upgrade")) {
            assertTrue(ForwardedHeaders.HOP_BY_HOP.contains(h), h);
        }
        assertTrue(ForwardedHeaders.HOP_BY_HOP.contains("trailer"));
        assertTrue(ForwardedHeaders.HOP_BY_HOP.contains("proxy-authorization"));
        assertTrue(ForwardedHeaders.HOP_BY_HOP.contains("proxy-authenticate"));
        for (String h : ForwardedHeaders.HOP_BY_HOP) {
            assertEquals(h.toLowerCase(Locale.ROOT), h);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"Connection", "Keep-Alive", "Proxy-Connection", "TE", "Transfer-Encoding", "Upgrade",
            "Trailer", "Proxy-Authorization", "Proxy-Authenticate"})
    void hopByHopNeverCrosses(String name) {
        for (String spelling : spellings(name)) {
            assertFalse(toExApp(spelling, false), spelling);
            assertFalse(toExApp(spelling, true), spelling);
            assertFalse(ForwardedHeaders.toClient(spelling.toLowerCase(Locale.ROOT), NONE), spelling);
            assertFalse(ForwardedHeaders.passesToUserInfo(spelling.toLowerCase(Locale.ROOT)), spelling);
        }
    }

    @Test
    void headersNamedInConnectionNeverCross() {
        Set<String> tokens = ForwardedHeaders.connectionTokens(List.of("Keep-Alive, X-Hop", "close"));
        assertFalse(ForwardedHeaders.toExApp("x-hop", false, tokens, NONE));
        assertFalse(ForwardedHeaders.toExApp("x-hop", true, tokens, NONE));
        assertFalse(ForwardedHeaders.toClient("x-hop", tokens));
        assertTrue(ForwardedHeaders.toExApp("x-other", false, tokens, NONE));
        assertTrue(ForwardedHeaders.toClient("x-other", tokens));
    }

    @Test
    void connectionTokensAreLowerCasedAndTrimmed() {
        assertEquals(Set.of("keep-alive", "x-foo", "close", "upgrade"),
                ForwardedHeaders.connectionTokens(List.of(" Keep-Alive ,X-FOO", "close", ", ,Upgrade,")));
        assertEquals(Set.of(), ForwardedHeaders.connectionTokens(List.of()));
        assertEquals(Set.of(), ForwardedHeaders.connectionTokens(List.of("", " , ")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"AUTHORIZATION-APP-API", "EX-APP-ID", "EX-APP-VERSION", "AA-VERSION", "harp-shared-key"})
    void clientCannotInjectAppApiIdentity(String name) {
        // The proxy sets these itself; a client's copy must never reach the ExApp, signed or not.
        for (String spelling : spellings(name)) {
            assertFalse(toExApp(spelling, false), spelling);
            assertFalse(toExApp(spelling, true), spelling + " (signed: the proxy re-sets it)");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"EX-APP-HOST", "EX-APP-PORT", "ex-app-anything", "AA-REQUEST-ID", "aa-anything"})
    void otherAppApiHeadersPassOnlyOnSignedRequests(String name) {
        for (String spelling : spellings(name)) {
            assertFalse(toExApp(spelling, false), spelling);
            assertTrue(toExApp(spelling, true), spelling);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host", "Host", "Content-Length", "Expect"})
    void headersTheProxySetsAreNotCopied(String name) {
        assertFalse(toExApp(name, false));
        assertFalse(toExApp(name, true));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Cookie", "Authorization", "Accept", "Accept-Language", "Content-Type", "User-Agent",
            "X-Requested-With", "Sec-WebSocket-Key", "Sec-WebSocket-Version", "Origin", "Range", "If-None-Match",
            "X-Real-IP", "exapp-id", "x-ex-app-id", "aax"})
    void endToEndHeadersPass(String name) {
        assertTrue(toExApp(name, false), name);
        assertTrue(toExApp(name, true), name);
    }

    @Test
    void routeExclusionsApply() {
        Set<String> excluded = Set.of("cookie", "x-secret");
        assertFalse(ForwardedHeaders.toExApp("cookie", false, NONE, excluded));
        assertFalse(ForwardedHeaders.toExApp("x-secret", false, NONE, excluded));
        assertTrue(ForwardedHeaders.toExApp("authorization", false, NONE, excluded));
    }

    @ParameterizedTest
    @ValueSource(strings = {"content-type", "set-cookie", "cache-control", "location", "www-authenticate",
            "content-encoding", "etag"})
    void responseHeadersReachTheClient(String name) {
        assertTrue(ForwardedHeaders.toClient(name, NONE));
    }

    @Test
    void responseContentLengthIsHandledApart() {
        assertFalse(ForwardedHeaders.toClient("content-length", NONE));
    }

    @ParameterizedTest
    @ValueSource(strings = {"cookie", "authorization", "user-agent", "accept", "accept-language", "origin",
            "x-requested-with", "requesttoken", "ocs-apirequest"})
    void credentialsGoToUserInfo(String name) {
        assertTrue(ForwardedHeaders.passesToUserInfo(name), name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"host", "content-length", "harp-shared-key", "authorization-app-api", "ex-app-id",
            "ex-app-version", "ex-app-host", "aa-version", "aa-request-id", "x-forwarded-for", "expect"})
    void headersThatMustNotGoToUserInfo(String name) {
        assertFalse(ForwardedHeaders.passesToUserInfo(name), name);
    }

    @Test
    void appApiAuthorizationIsBase64OfUserColonSecret() {
        String v = ForwardedHeaders.appApiAuthorization("alice", "s3cr:et");
        String decoded = new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8);
        assertEquals("alice:s3cr:et", decoded);
        int colon = decoded.indexOf(':');
        assertEquals("alice", decoded.substring(0, colon));
        assertEquals("s3cr:et", decoded.substring(colon + 1), "the secret is after the first colon");
    }

    @Test
    void anonymousCallersHaveAnEmptyUser() {
        String v = ForwardedHeaders.appApiAuthorization("", "secret");
        assertEquals(":secret", new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8));
        assertEquals("OnNlY3JldA==", v);
    }

    @Test
    void appApiAuthorizationIsUtf8() {
        String v = ForwardedHeaders.appApiAuthorization("j\u00fcrgen", "t");
        assertEquals("j\u00fcrgen:t", new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8));
        assertTrue(v.matches("[A-Za-z0-9+/=]+"), "standard alphabet with padding");
    }

    @Test
    void forwardedForTrustsOnlyTrustedPeers() {
        assertEquals("10.0.0.1", ForwardedHeaders.forwardedFor("10.0.0.1", false, "6.6.6.6"),
                "an untrusted peer cannot extend the chain");
        assertEquals("203.0.113.9, 10.0.0.1", ForwardedHeaders.forwardedFor("10.0.0.1", true, " 203.0.113.9 "));
        assertEquals("1.1.1.1, 2.2.2.2, 10.0.0.1", ForwardedHeaders.forwardedFor("10.0.0.1", true, "1.1.1.1, 2.2.2.2"));
        assertEquals("10.0.0.1", ForwardedHeaders.forwardedFor("10.0.0.1", true, null));
        assertEquals("10.0.0.1", ForwardedHeaders.forwardedFor("10.0.0.1", true, "  "));
        assertEquals("::1", ForwardedHeaders.forwardedFor("::1", false, null));
    }
}
