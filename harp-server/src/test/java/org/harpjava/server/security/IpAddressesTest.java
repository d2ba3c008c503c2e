package org.harpjava.server.security;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IpAddressesTest {

    @ParameterizedTest
    @CsvSource({
            "10.0.0.1, 10.0.0.1",
            "' 192.168.1.20 ', 192.168.1.20",
            "255.255.255.255, 255.255.255.255",
            "0.0.0.0, 0.0.0.0",
            "::1, 0:0:0:0:0:0:0:1",
            "[::1], 0:0:0:0:0:0:0:1",
            "2001:DB8::1, 2001:db8:0:0:0:0:0:1",
            "fe80::1%eth0, fe80:0:0:0:0:0:0:1",
            "[fe80::1%1], fe80:0:0:0:0:0:0:1",
            "::, 0:0:0:0:0:0:0:0",
    })
    void parsesLiterals(String text, String address) {
        assertEquals(address, IpAddresses.parse(text).orElseThrow().getHostAddress());
    }

    @Test
    void ipv4MappedIpv6ReadsAsIpv4() {
        InetAddress a = IpAddresses.parse("::ffff:10.1.2.3").orElseThrow();
        assertInstanceOf(Inet4Address.class, a);
        assertEquals("10.1.2.3", a.getHostAddress());
        assertInstanceOf(Inet4Address.class, IpAddresses.parse("[::ffff:a01:203]").orElseThrow());
        assertInstanceOf(Inet6Address.class, IpAddresses.parse("::a01:203").orElseThrow(), "IPv4-compatible stays IPv6");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "localhost", "example.com", "proxy.local", "unknown", "_hidden", "1.2.3",
            "1.2.3.4.5", "256.1.1.1", "1.2.3.256", "999.0.0.1", "1.2.3.4:80", "abc:def", "1:2:3:4:5:6:7:8:9",
            "[::1", "::1]", "[10.0.0.1]x", "0x7f.0.0.1", "10.0.0.1/8", "::g", "- 10.0.0.1"})
    void refusesEverythingElseWithoutResolving(String text) {
        assertEquals(Optional.empty(), IpAddresses.parse(text));
    }

    @Test
    void nullIsNoAddress() {
        assertEquals(Optional.empty(), IpAddresses.parse(null));
    }

    @Test
    void leadingZerosAreNeverOctal() {
        // Python's ipaddress refuses them; what must never happen is reading 010 as 8.
        IpAddresses.parse("010.0.0.1").ifPresent(a -> assertEquals("10.0.0.1", a.getHostAddress()));
        assertTrue(IpAddresses.parse("010.0.0.1").map(a -> !a.getHostAddress().equals("8.0.0.1")).orElse(true));
    }
}
