package org.harpjava.server.proxy;

import org.harpjava.server.HarpServer;
import org.harpjava.server.testing.FakeNextcloud;
import org.harpjava.server.testing.Harp;
import org.harpjava.server.testing.Http;
import org.harpjava.server.testing.RawExApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What crosses the proxy, header by header and byte by byte: hop-by-hop headers stay on their hop in both
 * directions, the AppAPI headers are always the proxy's own, the forwarding headers follow the trust placed in
 * the peer, and the request target below {@code /exapps/<appid>} reaches the ExApp exactly as the client sent
 * it. The ExApp is a socket-level stand-in that records the raw request.
 */
class HeaderHandlingTest {
    private static final String KEY = "header-shared-key";
    private static final String SECRET = "header-app-secret";
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final InetAddress TRUSTED_PROXY = address("127.0.0.2");

    private static RawExApp exapp;
    private static FakeNextcloud nextcloud;
    private static HarpServer harp;

    @BeforeAll
    static void start() throws Exception {
        exapp = new RawExApp();
        nextcloud = new FakeNextcloud(KEY)
                .app("hdr", SECRET, exapp.port(), """
                        [{"url":"^/user","access_level":1},
                         {"url":"^/","access_level":0}]""")
                .session("alice-session", "alice", 1)
                .password("bob", "bob-app-password", 2);
        Map<String, String> env = Harp.nextcloud(nextcloud, KEY);
        env.put("HP_BLACKLIST_COUNT", "0");
        env.put("HP_TRUSTED_PROXY_IPS", TRUSTED_PROXY.getHostAddress());
        harp = Harp.start(env);
    }

    @AfterAll
    static void stop() throws Exception {
        harp.stop();
        nextcloud.close();
        exapp.close();
    }

    @BeforeEach
    void reset() {
        exapp.clear();
        exapp.respond("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok");
    }

    private static String send(InetAddress from, String request) {
        return Http.exchange(from, LOOPBACK, harp.port(), request);
    }

    private static String get(String target, String... headerLines) {
        StringBuilder req = new StringBuilder("GET " + target + " HTTP/1.1\r\nHost: cloud.example\r\n");
        for (String h : headerLines) {
            req.append(h).append("\r\n");
        }
        return send(LOOPBACK, req.append("Connection: close\r\n\r\n").toString());
    }

    @Test
    void hopByHopRequestHeadersStayOnTheClientHop() {
        String res = send(LOOPBACK, "POST /exapps/hdr/form HTTP/1.1\r\n"
                + "Host: cloud.example\r\n"
                + "Connection: close, X-Hop-Custom\r\n"
                + "X-Hop-Custom: hop value\r\n"
                + "Keep-Alive: timeout=5\r\n"
                + "TE: trailers\r\n"
                + "Trailer: X-Checksum\r\n"
                + "Upgrade: websocket\r\n"
                + "Proxy-Authorization: Basic cHJveHk6cHc=\r\n"
                + "Proxy-Connection: keep-alive\r\n"
                + "X-End-To-End: kept\r\n"
                + "Content-Type: text/plain\r\n"
                + "Content-Length: 5\r\n"
                + "\r\n"
                + "hello");
        assertEquals(200, Http.status(res), res);
        RawExApp.Received up = exapp.next();
        assertEquals("POST /form HTTP/1.1", up.requestLine());
        for (String hop : List.of("x-hop-custom", "keep-alive", "te", "trailer", "upgrade", "proxy-authorization",
                "proxy-connection")) {
            assertFalse(up.headerNames().contains(hop), hop + " must not reach the ExApp: " + up.headerLines());
        }
        for (String value : up.headers("Connection")) {
            assertFalse(value.toLowerCase(Locale.ROOT).contains("x-hop-custom"), up.headerLines().toString());
        }
        assertEquals(List.of("kept"), up.headers("X-End-To-End"));
        assertEquals(List.of("5"), up.headers("Content-Length"));
        assertEquals("hello", new String(up.body(), StandardCharsets.UTF_8));
    }

    @Test
    void hopByHopResponseHeadersStayOnTheExAppHop() {
        exapp.respond("HTTP/1.1 200 OK\r\n"
                + "Content-Type: application/json; charset=utf-8\r\n"
                + "Content-Length: 2\r\n"
                + "Connection: X-Resp-Hop\r\n"
                + "X-Resp-Hop: 1\r\n"
                + "Keep-Alive: timeout=5, max=100\r\n"
                + "Proxy-Authenticate: Basic realm=\"p\"\r\n"
                + "Proxy-Connection: keep-alive\r\n"
                + "Trailer: X-Checksum\r\n"
                + "Set-Cookie: first=1; Path=/; HttpOnly\r\n"
                + "Set-Cookie: second=2; Path=/exapps/hdr\r\n"
                + "X-Kept: yes\r\n"
                + "\r\n"
                + "{}");
        String res = get("/exapps/hdr/json");
        assertEquals(200, Http.status(res), res);
        assertEquals("{}", Http.body(res));
        List<String> lines = Http.headerLines(res);
        List<String> names = lines.stream().map(l -> l.substring(0, l.indexOf(':')).toLowerCase(Locale.ROOT)).toList();
        for (String hop : List.of("x-resp-hop", "keep-alive", "proxy-authenticate", "proxy-connection", "trailer")) {
            assertFalse(names.contains(hop), hop + " must not reach the client: " + lines);
        }
        assertTrue(lines.stream().noneMatch(l -> l.toLowerCase(Locale.ROOT).contains("x-resp-hop")), lines.toString());
        assertTrue(lines.contains("Content-Type: application/json; charset=utf-8"), lines.toString());
        assertTrue(lines.contains("X-Kept: yes"), lines.toString());
        List<String> cookies = lines.stream().filter(l -> l.toLowerCase(Locale.ROOT).startsWith("set-cookie:"))
                .map(l -> l.substring(l.indexOf(':') + 1).strip()).toList();
        assertEquals(List.of("first=1; Path=/; HttpOnly", "second=2; Path=/exapps/hdr"), cookies);
    }

    @Test
    void upgradeOnAnOrdinaryResponseIsDroppedAndTheBodyKept() {
        exapp.respond("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nUpgrade: h2,h2c\r\nConnection: Upgrade\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
        String res = get("/exapps/hdr/advertises-h2c");
        assertEquals(200, Http.status(res), res);
        assertTrue(Http.headerLines(res).stream().noneMatch(l -> l.toLowerCase(Locale.ROOT).startsWith("upgrade:")), res);
        assertTrue(res.endsWith("hello") || res.endsWith("5\r\nhello\r\n0\r\n\r\n"), res);
    }

    @Test
    void fixedLengthBodyAfterAnUpgradeHeaderIsKept() {
        exapp.respond("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nUpgrade: h2c\r\nContent-Length: 5\r\n\r\nhello");
        String res = get("/exapps/hdr/advertises-h2c");
        assertEquals(200, Http.status(res), res);
        assertEquals("hello", Http.body(res), res);
        assertTrue(Http.headerLines(res).stream().noneMatch(l -> l.toLowerCase(Locale.ROOT).startsWith("upgrade:")), res);
        exapp.next();

        exapp.respond("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 4\r\n\r\nnext");
        res = get("/exapps/hdr/after");
        assertEquals("next", Http.body(res), "the unread body must not leak into the next response");
    }

    @Test
    void headAndNoContentAnswersCarryNoBody() {
        exapp.respond("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 1234\r\nETag: \"v1\"\r\n\r\n");
        String head = send(LOOPBACK, "HEAD /exapps/hdr/file HTTP/1.1\r\nHost: cloud.example\r\nConnection: close\r\n\r\n");
        assertEquals("HEAD /file HTTP/1.1", exapp.next().requestLine());
        assertEquals(200, Http.status(head), head);
        assertEquals("", Http.body(head));
        assertTrue(Http.headerLines(head).contains("ETag: \"v1\""), head);
        assertTrue(Http.headerLines(head).contains("Content-Length: 1234"), "the ExApp's length: " + head);

        exapp.respond("HTTP/1.1 204 No Content\r\nX-Done: yes\r\n\r\n");
        String none = get("/exapps/hdr/delete-me");
        assertEquals(204, Http.status(none), none);
        assertEquals("", Http.body(none));
        assertTrue(Http.headerLines(none).contains("X-Done: yes"), none);
    }

    @Test
    void clientSuppliedAppApiHeadersAreReplaced() {
        String res = get("/exapps/hdr/anything",
                "authorization-app-api: " + b64("admin:stolen-secret"),
                "Ex-App-Id: other-app",
                "EX-APP-VERSION: 9.9.9",
                "aa-VERSION: 99",
                "AA-Request-Id: forged",
                "ex-app-host: 10.0.0.1",
                "Harp-Shared-Key: " + KEY,
                "HARP-SHARED-KEY: guess");
        assertEquals(200, Http.status(res), res);
        RawExApp.Received up = exapp.next();
        assertEquals(List.of(b64(":" + SECRET)), up.headers("AUTHORIZATION-APP-API"));
        assertEquals(List.of("hdr"), up.headers("EX-APP-ID"));
        assertEquals(List.of("1.2.3"), up.headers("EX-APP-VERSION"));
        assertEquals(List.of("32"), up.headers("AA-VERSION"));
        assertEquals(List.of(), up.headers("harp-shared-key"), "the shared key never reaches an ExApp");
        assertEquals(List.of(), up.headers("AA-Request-Id"));
        assertEquals(List.of(), up.headers("ex-app-host"));
    }

    @Test
    void anonymousCallerIsSignedWithAnEmptyUser() {
        get("/exapps/hdr/public");
        RawExApp.Received up = exapp.next();
        assertEquals(List.of(b64(":" + SECRET)), up.headers("AUTHORIZATION-APP-API"));
    }

    @Test
    void sessionUserIsSignedAndTheCredentialsPassOn() {
        String res = get("/exapps/hdr/user/me", "Cookie: oc_sessionPassphrase=alice-session; theme=dark");
        assertEquals(200, Http.status(res), res);
        RawExApp.Received up = exapp.next();
        assertEquals(List.of(b64("alice:" + SECRET)), up.headers("AUTHORIZATION-APP-API"));
        assertEquals(List.of("oc_sessionPassphrase=alice-session; theme=dark"), up.headers("Cookie"));
    }

    @Test
    void basicUserIsSignedAndTheCredentialsPassOn() {
        String basic = "Basic " + b64("bob:bob-app-password");
        String res = get("/exapps/hdr/user/me", "Authorization: " + basic);
        assertEquals(200, Http.status(res), res);
        RawExApp.Received up = exapp.next();
        assertEquals(List.of(b64("bob:" + SECRET)), up.headers("AUTHORIZATION-APP-API"));
        assertEquals(List.of(basic), up.headers("Authorization"));
    }

    @Test
    void forwardingHeadersFromAnUntrustedPeerAreReplaced() {
        String res = get("/exapps/hdr/where",
                "X-Forwarded-For: 198.51.100.9",
                "X-Forwarded-Proto: https",
                "X-Forwarded-Host: evil.example");
        assertEquals(200, Http.status(res), res);
        RawExApp.Received up = exapp.next();
        assertEquals(List.of("cloud.example"), up.headers("Host"), "Host passes unchanged");
        assertEquals(List.of("127.0.0.1"), up.headers("X-Forwarded-For"));
        assertEquals(List.of("http"), up.headers("X-Forwarded-Proto"));
        assertEquals(List.of("cloud.example"), up.headers("X-Forwarded-Host"));
    }

    @Test
    void forwardingHeadersFromATrustedProxyAreExtended() {
        String res = send(TRUSTED_PROXY, "GET /exapps/hdr/where HTTP/1.1\r\n"
                + "Host: harp.internal:8780\r\n"
                + "X-Forwarded-For: 198.51.100.9, 203.0.113.7\r\n"
                + "X-Forwarded-Proto: https\r\n"
                + "X-Forwarded-Host: cloud.example\r\n"
                + "Connection: close\r\n\r\n");
        assertEquals(200, Http.status(res), res);
        RawExApp.Received up = exapp.next();
        assertEquals(List.of("harp.internal:8780"), up.headers("Host"));
        assertEquals(List.of("198.51.100.9, 203.0.113.7, 127.0.0.2"), up.headers("X-Forwarded-For"));
        assertEquals(List.of("https"), up.headers("X-Forwarded-Proto"));
        assertEquals(List.of("cloud.example"), up.headers("X-Forwarded-Host"));
    }

    @Test
    void theProxyAddsNoClientHeadersOfItsOwn() {
        get("/exapps/hdr/plain");
        RawExApp.Received up = exapp.next();
        assertEquals(List.of(), up.headers("User-Agent"), up.headerLines().toString());
        assertEquals(List.of(), up.headers("Proxy-Connection"), up.headerLines().toString());
        // Helidon's client always writes a length, so a GET without a body arrives with Content-Length: 0.
        assertTrue(List.of(List.of(), List.of("0")).contains(up.headers("Content-Length")), up.headerLines().toString());

        get("/exapps/hdr/plain", "User-Agent: curl/8.5.0");
        assertEquals(List.of("curl/8.5.0"), exapp.next().headers("User-Agent"));
    }

    @Test
    void prefixIsStrippedAndQueryKept() {
        get("/exapps/hdr/some/path?x=1&y=2");
        assertEquals("/some/path?x=1&y=2", exapp.next().target());
        get("/exapps/hdr");
        assertEquals("/", exapp.next().target());
        get("/exapps/hdr/");
        assertEquals("/", exapp.next().target());
        get("/exapps/hdr?q=1");
        assertEquals("/?q=1", exapp.next().target());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "/a//b//",
            "/a/%2F/b%2fc",
            "/+plus+/x",
            "/%41%62c/%7e",
            "/p;a=1;b=2/q;x",
            "/a/./b/.",
            "/sp%20ace/%E2%82%AC/%e2%82%ac",
            "/x?b=2&a=1&a=0&b=1",
            "/x?q=%2B+y&z=%26&e=&f&&g=h=i",
            "/x?k=%e2%82%ac&K=%E2%82%AC&s=%20",
            "/x?a=1;b=2&c=/d?e",
            "/x;jsessionid=abc?y=%2F%2f",
            "/%25/%2525?%25=%2525",
            "/x?",
            "/x??",
            "/?",
            "/at?t=12:30&u=http://x",
            "/a:b/c:d?e=f:g",
    })
    void rawTargetReachesTheExAppUnchanged(String target) {
        String res = get("/exapps/hdr" + target);
        assertEquals(200, Http.status(res), res);
        assertEquals(target, exapp.next().target());
    }

    @Test
    void fragmentIsNotForwarded() {
        // A fragment is no part of an HTTP/1.1 request target (RFC 9112 section 3.2); what precedes it is forwarded.
        String res = get("/exapps/hdr/page?a=1#section-2");
        assertEquals(200, Http.status(res), res);
        assertEquals("/page?a=1", exapp.next().target());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/x?q=\u00e9", "/\u00e9t\u00e9", "/a\u00e9?b"})
    void nonAsciiBytesInTheTargetAreRefused(String target) {
        // Raw 8-bit bytes are not allowed in a request target (RFC 9112 section 3.2); clients percent-encode them.
        byte[] request = ("GET /exapps/hdr" + target + " HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8);
        String res = Http.exchange(LOOPBACK, LOOPBACK, harp.port(), new String(request, StandardCharsets.ISO_8859_1));
        assertEquals(400, Http.status(res), res);
        assertTrue(exapp.idle());
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
