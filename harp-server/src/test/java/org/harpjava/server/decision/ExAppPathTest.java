package org.harpjava.server.decision;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExAppPathTest {

    private static ExAppPath.Target target(String raw) {
        return assertInstanceOf(ExAppPath.Target.class, ExAppPath.parse(raw), raw);
    }

    private static Rejection rejected(String raw) {
        return assertInstanceOf(ExAppPath.Rejected.class, ExAppPath.parse(raw), raw).rejection();
    }

    @ParameterizedTest
    @CsvSource({
            "/exapps/app-skeleton-python/public, app-skeleton-python, /public",
            "/exapps/app/, app, /",
            "/exapps/app, app, /",
            "/exapps/app/a/b/c.js, app, /a/b/c.js",
            "/exapps/app//double, app, //double",
            "/exapps/my_app.v2/x, my_app.v2, /x",
            "/exapps/app/a%20b, app, /a%20b",
            "/exapps/app/%2Fencoded, app, /%2Fencoded",
            "/exapps/app/./x, app, /./x",
            "/exapps/app/.well-known/x, app, /.well-known/x",
            "/exapps/app/..., app, /...",
            "/exapps/app/..x/y, app, /..x/y",
            "/exapps/app/x../y, app, /x../y",
            "/exapps/app/a..b, app, /a..b",
            "/exapps/app/%2e/x, app, /%2e/x",
    })
    void splitsAppIdAndRawTargetPath(String raw, String appId, String targetPath) {
        ExAppPath.Target t = target(raw);
        assertEquals(appId, t.appId());
        assertEquals(targetPath, t.targetPath());
    }

    @Test
    void appIdKeepsItsCaseButLooksUpInLowerCase() {
        ExAppPath.Target t = target("/exapps/My_App/x");
        assertEquals("My_App", t.appId(), "EX-APP-ID keeps the original case");
        assertEquals("my_app", t.key());
    }

    @Test
    void appApiIsAnOrdinaryTargetForTheGatewayToDispatch() {
        assertEquals("app_api", target("/exapps/app_api/exapp_storage/x").key());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "/exapps/app/../x", "/exapps/app/..", "/exapps/../app/x", "/exapps/..", "/..", "..", "../exapps/app",
            "/exapps/app/x/../../y",
            "/exapps/app/%2e%2e/x", "/exapps/app/%2E%2E/x", "/exapps/app/.%2e/x", "/exapps/app/%2e./x",
            "/exapps/app/..%2fx", "/exapps/app/..%2Fx", "/exapps/app/x%2f..%2fy", "/exapps/app/x%2F..",
            "/exapps/app/x%2f%2e%2e", "/exapps/%2e%2e/x",
            "/exapps/app/%252e%252e/x", "/exapps/app/%252E%252E%252Fx", "/exapps/app/..%252fx",
            "/exapps/app/..\\x", "/exapps/app/x\\..\\y", "/exapps/app/x\\..", "/exapps/app/%5c..%5cx",
            "/exapps/app/%5C..", "/exapps/app/%2e%2e%5cx", "/exapps/app/x%255c%252e%252e",
    })
    void rejectsTraversalInEveryEncoding(String raw) {
        Rejection r = rejected(raw);
        assertEquals(400, r.status());
        assertTrue(r.failure(), "traversal counts as a failure (HaRP PR #105)");
        assertTrue(r.message().contains("traversal"), r.message());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/exapps/app/%", "/exapps/app/%4", "/exapps/app/%zz", "/exapps/app/%g0/x", "/exapps/%/x"})
    void rejectsMalformedPercentEncoding(String raw) {
        Rejection r = rejected(raw);
        assertEquals(400, r.status());
        assertTrue(r.failure());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "", "/exapps", "/exapps/", "/exapp/app/x", "/EXAPPS/app/x", "/index.php/exapps/app/x",
            "/apps/app_api/proxy/app/x", "exapps/app/x"})
    void pathsOutsideExappsAreNotFound(String raw) {
        Rejection r = rejected(raw);
        assertEquals(404, r.status());
        assertTrue(r.failure(), "HaRP counts a path without an app id as a failure");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/exapps//x", "/exapps/a%20b/x", "/exapps/app%2Fother/x", "/exapps/app:1/x",
            "/exapps/%C3%A9/x", "/exapps/app;x/y"})
    void invalidAppIdsAreNotFound(String raw) {
        Rejection r = rejected(raw);
        assertEquals(404, r.status());
        assertTrue(r.failure());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/exapps/a b/x", "/exapps/\u00e9/x", "/exapps/app/\u00e9t\u00e9", "/exapps/app/\ufffd",
            "/exapps/app/a\tb", "/exapps/app/\u007f"})
    void rawNonAsciiAndControlCharactersAreRefused(String raw) {
        Rejection r = rejected(raw);
        assertEquals(400, r.status());
        assertTrue(r.failure());
    }

    @Test
    void appIdLengthIsBounded() {
        assertEquals("a".repeat(128), target("/exapps/" + "a".repeat(128) + "/x").appId());
        assertEquals(404, rejected("/exapps/" + "a".repeat(129) + "/x").status());
    }

    @Test
    void percentDecodeDecodesOnce() {
        assertEquals("/a b", ExAppPath.percentDecode("/a%20b"));
        assertEquals("/AB", ExAppPath.percentDecode("/%41%42"));
        assertEquals("/%2e", ExAppPath.percentDecode("/%252e"));
        assertEquals("/\u00e9t\u00e9", ExAppPath.percentDecode("/%C3%A9t%c3%a9"));
        assertEquals("/a+b", ExAppPath.percentDecode("/a+b"), "'+' is not a space in a path");
        assertEquals("/\u00e9%", ExAppPath.percentDecode("/\u00e9%25"));
    }

    @Test
    void percentDecodeReturnsPlainPathsUnchanged() {
        String s = "/plain/path";
        assertSame(s, ExAppPath.percentDecode(s));
    }

    @ParameterizedTest
    @ValueSource(strings = {"%", "/a%", "/a%4", "/%x1", "/%1x", "/%-1"})
    void percentDecodeRefusesMalformedEscapes(String s) {
        assertNull(ExAppPath.percentDecode(s));
    }
}
