package org.harpjava.server.security;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CidrBlockTest {

    private static CidrBlock block(String text) {
        return CidrBlock.parse(text).orElseThrow(() -> new AssertionError("not parsed: " + text));
    }

    private static InetAddress ip(String text) {
        return IpAddresses.parse(text).orElseThrow();
    }

    @ParameterizedTest
    @CsvSource({
            "10.0.0.0/8, 10.0.0.0, true", "10.0.0.0/8, 10.255.255.255, true", "10.0.0.0/8, 11.0.0.0, false",
            "10.0.0.0/8, 9.255.255.255, false",
            "172.16.0.0/12, 172.31.255.1, true", "172.16.0.0/12, 172.32.0.1, false",
            "192.168.1.0/24, 192.168.1.77, true", "192.168.1.0/24, 192.168.2.1, false",
            "192.168.1.4/31, 192.168.1.5, true", "192.168.1.4/31, 192.168.1.6, false",
            "10.128.0.0/9, 10.200.0.1, true", "10.128.0.0/9, 10.127.0.1, false",
            "192.168.1.1, 192.168.1.1, true", "192.168.1.1, 192.168.1.2, false",
            "192.168.1.1/32, 192.168.1.1, true",
            "0.0.0.0/0, 203.0.113.5, true", "0.0.0.0/0, ::1, false",
            "fd00::/8, fd12:3456::1, true", "fd00::/8, fe80::1, false",
            "2001:db8::/32, 2001:db8:ffff::1, true", "2001:db8::/32, 2001:db9::1, false",
            "2001:db8::1/127, 2001:db8::1, true", "2001:db8::/127, 2001:db8::2, false",
            "::1, ::1, true", "::1, ::2, false", "::1/128, ::1, true",
            "::/0, 2001:db8::1, true", "::/0, 10.0.0.1, false",
            "[fd00::]/8, fd00::5, true",
    })
    void containsAddressesOfItsNetworkOnly(String cidr, String address, boolean contained) {
        assertEquals(contained, block(cidr).contains(ip(address)), cidr + " contains " + address);
    }

    @Test
    void hostBitsAreMaskedAsHarpDoes() {
        // HaRP parses with strict=False: 10.1.2.3/8 is the network 10.0.0.0/8.
        assertEquals(block("10.0.0.0/8"), block("10.1.2.3/8"));
        assertEquals("10.0.0.0/8", block("10.1.2.3/8").toString());
        assertTrue(block("10.1.2.3/8").contains(ip("10.9.9.9")));
        assertEquals(block("fd00::/8"), block("fd12::1/8"));
        assertEquals(block("192.168.1.0/23"), block("192.168.0.0/23"));
    }

    @Test
    void bareAddressesAreSingleHosts() {
        assertEquals(32, block("10.0.0.1").prefix());
        assertEquals(128, block("::1").prefix());
        assertEquals(block("10.0.0.1/32"), block(" 10.0.0.1 "));
    }

    @Test
    void printsNetworkAndPrefix() {
        assertEquals("192.168.0.0/16", block("192.168.4.5/16").toString());
        assertEquals("0.0.0.0/0", block("1.2.3.4/0").toString());
        assertEquals("fd00:0:0:0:0:0:0:0/8", block("fd00::1/8").toString());
    }

    @Test
    void equalityIsByNetworkAndPrefix() {
        assertEquals(block("10.0.0.0/8").hashCode(), block("10.7.0.0/8").hashCode());
        assertNotEquals(block("10.0.0.0/8"), block("10.0.0.0/9"));
        assertNotEquals(block("10.0.0.0/8"), block("11.0.0.0/8"));
        assertNotEquals(block("0.0.0.0/0"), block("::/0"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "/8", "10.0.0.0/", "10.0.0.0/33", "10.0.0.0/-1", "10.0.0.0/x", "10.0.0.0/8/9",
            "10.0.0.0/ 8", "10.0.0.0/1000", "10.0.0/8", "10.0.0.256/8", "::/129", "fd00::/256", "proxy.local",
            "proxy.local/8", "localhost", "10.0.0.0-10.0.0.9", "10.0.0.*", "10.0.0.0/8,", "::ffff:10.0.0.0/95",
            "::ffff:10.0.0.0/129"})
    void refusesInvalidInput(String text) {
        assertEquals(Optional.empty(), CidrBlock.parse(text));
    }

    @Test
    void ipv4MappedPeersMatchIpv4Networks() {
        // A dual-stack listener sees IPv4 clients as ::ffff:a.b.c.d.
        assertTrue(block("10.0.0.0/8").contains(ip("::ffff:10.1.2.3")));
        assertFalse(block("10.0.0.0/8").contains(ip("::ffff:11.1.2.3")));
    }

    @Test
    void ipv4MappedNetworksCountIpv6Bits() {
        CidrBlock mapped = block("::ffff:10.0.0.0/104");
        assertEquals(block("10.0.0.0/8"), mapped);
        assertTrue(mapped.contains(ip("10.200.0.1")));
        assertTrue(mapped.contains(ip("::ffff:10.200.0.1")));
        assertFalse(mapped.contains(ip("11.0.0.1")));
        assertEquals(block("10.0.0.1/32"), block("::ffff:10.0.0.1"));
        assertEquals(block("10.0.0.1/32"), block("::ffff:10.0.0.1/128"));
        assertTrue(block("::ffff:0:0/96").contains(ip("203.0.113.1")), "the whole mapped range is all of IPv4");
        assertFalse(block("::ffff:0:0/96").contains(ip("2001:db8::1")));
    }
}
