package org.harpjava.server.security;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrustedProxiesTest {
    private static final TrustedProxies PROXIES = TrustedProxies.parse("10.0.0.0/8, 192.168.1.1, fd00::/8");

    private static InetAddress ip(String text) {
        return IpAddresses.parse(text).orElseThrow();
    }

    private static String client(String peer, String xff, String realIp) {
        return PROXIES.clientAddress(ip(peer), Optional.ofNullable(xff), Optional.ofNullable(realIp)).getHostAddress();
    }

    @Test
    void parsesIpsAndCidrs() {
        assertEquals(List.of(CidrBlock.parse("10.0.0.0/8").orElseThrow(), CidrBlock.parse("192.168.1.1").orElseThrow(),
                CidrBlock.parse("fd00::/8").orElseThrow()), PROXIES.blocks());
        assertTrue(PROXIES.trusts(ip("10.9.8.7")));
        assertTrue(PROXIES.trusts(ip("192.168.1.1")));
        assertFalse(PROXIES.trusts(ip("192.168.1.2")));
        assertTrue(PROXIES.trusts(ip("fd00::1")));
        assertFalse(PROXIES.trusts(ip("2001:db8::1")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", ",", " , ,", "\"\"", "''", "\u201C\u201D"})
    void emptyListsTrustNobody(String list) {
        TrustedProxies p = TrustedProxies.parse(list);
        assertTrue(p.isEmpty());
        assertFalse(p.trusts(ip("127.0.0.1")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"10.0.0.1,172.16.0.0/12\"", "'10.0.0.1, 172.16.0.0/12'", "\"10.0.0.1\",\"172.16.0.0/12\"",
            "\u201C10.0.0.1, 172.16.0.0/12\u201D", "\u201810.0.0.1\u2019, \u2018172.16.0.0/12\u2019",
            " 10.0.0.1 ,172.16.0.0/12 ,"})
    void quotesAroundTheListOrEntriesAreIgnored(String list) {
        // HaRP #108 / PR #112: quoted values must not silently disable X-Forwarded-For handling.
        TrustedProxies p = TrustedProxies.parse(list);
        assertEquals(2, p.blocks().size(), list);
        assertTrue(p.trusts(ip("10.0.0.1")));
        assertTrue(p.trusts(ip("172.20.0.1")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.1, proxy.local", "10.0.0.0/33", "10.0.0.1 10.0.0.2", "*", "fd00::/200"})
    void invalidEntriesAreNamed(String list) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrustedProxies.parse(list));
        assertTrue(e.getMessage().contains("is not an IP address or CIDR"), e.getMessage());
    }

    @Test
    void untrustedPeersAreTheClientWhateverTheySend() {
        assertEquals("203.0.113.7", client("203.0.113.7", "1.2.3.4", "5.6.7.8"));
        assertEquals("203.0.113.7", client("203.0.113.7", null, "5.6.7.8"));
        assertEquals("2001:db8:0:0:0:0:0:1", client("2001:db8::1", "1.2.3.4", null));
        assertEquals("127.0.0.1", TrustedProxies.none().clientAddress(ip("127.0.0.1"), Optional.of("1.2.3.4"),
                Optional.of("5.6.7.8")).getHostAddress());
    }

    @Test
    void trustedPeerForwardsTheClient() {
        assertEquals("203.0.113.7", client("10.0.0.2", "203.0.113.7", null));
        assertEquals("203.0.113.7", client("10.0.0.2", " 203.0.113.7 ", "5.6.7.8"), "X-Forwarded-For wins over X-Real-IP");
    }

    @Test
    void forwardedForIsReadFromTheRightSkippingTrustedProxies() {
        // The client itself may send any X-Forwarded-For; only what trusted proxies appended counts.
        assertEquals("203.0.113.7", client("10.0.0.2", "6.6.6.6, 203.0.113.7", null));
        assertEquals("203.0.113.7", client("10.0.0.2", "6.6.6.6, 203.0.113.7, 10.1.1.1, 192.168.1.1", null));
        assertEquals("203.0.113.7", client("10.0.0.2", "6.6.6.6,203.0.113.7,10.1.1.1", null));
    }

    @Test
    void invalidHopsAreSkipped() {
        assertEquals("203.0.113.7", client("10.0.0.2", "203.0.113.7, unknown", null));
        assertEquals("203.0.113.7", client("10.0.0.2", "garbage, 203.0.113.7, , 10.0.0.9", null));
        assertEquals("203.0.113.7", client("10.0.0.2", "203.0.113.7, proxy.local", null));
    }

    @Test
    void aChainOfOnlyTrustedProxiesYieldsItsLeftmost() {
        assertEquals("10.5.5.5", client("10.0.0.2", "10.5.5.5, 10.6.6.6", null));
        assertEquals("10.5.5.5", client("10.0.0.2", "10.5.5.5, garbage, 10.6.6.6", null));
    }

    @Test
    void realIpIsTheFallback() {
        assertEquals("5.6.7.8", client("10.0.0.2", null, "5.6.7.8"));
        assertEquals("5.6.7.8", client("10.0.0.2", "garbage, unknown", "5.6.7.8"));
        assertEquals("5.6.7.8", client("10.0.0.2", "", " 5.6.7.8 "));
    }

    @Test
    void peerIsTheLastResort() {
        assertEquals("10.0.0.2", client("10.0.0.2", null, null));
        assertEquals("10.0.0.2", client("10.0.0.2", "nonsense", "also-nonsense"));
        assertEquals("10.0.0.2", client("10.0.0.2", "", ""));
    }

    @Test
    void ipv6HopsAndPeers() {
        assertEquals("2001:db8:0:0:0:0:0:7", client("fd00::1", "2001:db8::7, fd00::2", null));
        assertEquals("2001:db8:0:0:0:0:0:7", client("fd00::1", "[2001:db8::7]", null));
        assertEquals("203.0.113.7", client("10.0.0.2", "2001:db8::7, 203.0.113.7", null));
    }

    @Test
    void ipv4MappedPeerOfATrustedProxyIsTrusted() {
        assertEquals("203.0.113.7", client("::ffff:10.0.0.2", "203.0.113.7", null));
        assertEquals("203.0.113.7", client("10.0.0.2", "::ffff:203.0.113.7", null));
    }
}
