package org.harpjava.server.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HostPortTest {

    @ParameterizedTest
    @CsvSource({
            "0.0.0.0:8780, 0.0.0.0, 8780",
            "127.0.0.1:9600, 127.0.0.1, 9600",
            "harp.local:8782, harp.local, 8782",
            "':8780', 0.0.0.0, 8780",
            "' 10.0.0.1:80 ', 10.0.0.1, 80",
            "[::1]:8780, ::1, 8780",
            "[::]:8781, ::, 8781",
            "[fd00::1:2]:65535, fd00::1:2, 65535",
            "localhost:0, localhost, 0",
    })
    void parsesHostAndPort(String text, String host, int port) {
        assertEquals(new HostPort(host, port), HostPort.parse("HP_EXAPPS_ADDRESS", text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "8780", "0.0.0.0", "0.0.0.0:", "0.0.0.0:abc", "0.0.0.0:65536", "0.0.0.0:-1",
            "::1:8780", "fd00::1", "[::1]", "[::1]:", "[::1]8780", "[::1]:x", "host:80:90", "0.0.0.0:99999999999"})
    void rejectsMalformedAddressesNamingTheSetting(String text) {
        ConfigException e = assertThrows(ConfigException.class, () -> HostPort.parse("HP_FRP_ADDRESS (harp.frp-address)", text));
        assertTrue(e.getMessage().startsWith("HP_FRP_ADDRESS (harp.frp-address) "), e.getMessage());
        assertTrue(e.getMessage().contains("\"" + text + "\""), e.getMessage());
    }

    @Test
    void printsIpv6InBrackets() {
        assertEquals("[::1]:8780", new HostPort("::1", 8780).toString());
        assertEquals("0.0.0.0:8780", new HostPort("0.0.0.0", 8780).toString());
        assertEquals("harp.local:1", new HostPort("harp.local", 1).toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0:8780", "[::1]:8780", "[fd00::1:2]:1", "example.org:443"})
    void roundTripsThroughToString(String text) {
        HostPort hp = HostPort.parse("X", text);
        assertEquals(hp, HostPort.parse("X", hp.toString()));
    }
}
