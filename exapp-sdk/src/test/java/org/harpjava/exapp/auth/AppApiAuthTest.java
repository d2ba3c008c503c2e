package org.harpjava.exapp.auth;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AppApiAuthTest {
    private final AppApiAuth auth = new AppApiAuth("my_app", "s3cret:with:colons");

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private AppApiAuth.Result check(Map<String, String> headers) {
        Map<String, String> lower = new HashMap<>();
        headers.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), v));
        return auth.check(name -> Optional.ofNullable(lower.get(name.toLowerCase(Locale.ROOT))));
    }

    private static Map<String, String> signed(String user, String secret) {
        Map<String, String> h = new HashMap<>();
        h.put("EX-APP-ID", "my_app");
        h.put("EX-APP-VERSION", "1.0.0");
        h.put("AUTHORIZATION-APP-API", b64(user + ":" + secret));
        return h;
    }

    @Test
    void acceptsTheSecretAndNamesTheUser() {
        var result = assertInstanceOf(AppApiAuth.Accepted.class, check(signed("alice", "s3cret:with:colons")));
        assertEquals(Optional.of("alice"), result.caller().userId());
        assertEquals("1.0.0", result.caller().appVersion());
    }

    @Test
    void emptyUserIsASystemCall() {
        var result = assertInstanceOf(AppApiAuth.Accepted.class, check(signed("", "s3cret:with:colons")));
        assertFalse(result.caller().isUser());
    }

    @Test
    void anotherVersionIsTolerated() {
        Map<String, String> h = signed("bob", "s3cret:with:colons");
        h.put("EX-APP-VERSION", "0.9.0-old");
        h.put("AA-VERSION", "32");
        assertInstanceOf(AppApiAuth.Accepted.class, check(h));
    }

    @Test
    void wrongSecretIsRefused() {
        var r = assertInstanceOf(AppApiAuth.Refused.class, check(signed("alice", "s3cret")));
        assertEquals("invalid app secret", r.reason());
        assertFalse(r.reason().contains("s3cret"));
    }

    @Test
    void wrongAppIdIsRefused() {
        Map<String, String> h = signed("alice", "s3cret:with:colons");
        h.put("EX-APP-ID", "other_app");
        assertInstanceOf(AppApiAuth.Refused.class, check(h));
    }

    @Test
    void eachMissingOrEmptyHeaderIsRefused() {
        for (String name : new String[] {"EX-APP-ID", "EX-APP-VERSION", "AUTHORIZATION-APP-API"}) {
            Map<String, String> h = signed("alice", "s3cret:with:colons");
            h.remove(name);
            assertInstanceOf(AppApiAuth.Refused.class, check(h), "without " + name);
            h.put(name, "");
            assertInstanceOf(AppApiAuth.Refused.class, check(h), "with empty " + name);
        }
    }

    @Test
    void malformedAuthorizationIsRefused() {
        Map<String, String> h = signed("alice", "x");
        h.put("AUTHORIZATION-APP-API", "not base64 !!");
        assertTrue(((AppApiAuth.Refused) check(h)).reason().contains("base64"));
        h.put("AUTHORIZATION-APP-API", b64("no-colon-here"));
        assertInstanceOf(AppApiAuth.Refused.class, check(h));
    }

    @Test
    void userIsEverythingBeforeTheFirstColon() {
        AppApiAuth plain = new AppApiAuth("my_app", "secret");
        Map<String, String> h = signed("alice", "secret");
        var r = plain.check(n -> Optional.ofNullable(h.get(n)));
        assertEquals(Optional.of("alice"), assertInstanceOf(AppApiAuth.Accepted.class, r).caller().userId());
        Map<String, String> h2 = signed("alice:x", "secret");
        assertInstanceOf(AppApiAuth.Refused.class, plain.check(n -> Optional.ofNullable(h2.get(n))));
    }
}
