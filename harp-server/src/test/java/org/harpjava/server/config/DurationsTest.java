package org.harpjava.server.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DurationsTest {

    @ParameterizedTest
    @CsvSource({
            "30s, 30000",
            "1m, 60000",
            "1800s, 1800000",
            "500ms, 500",
            "2h, 7200000",
            "1d, 86400000",
            "24d, 2073600000",
            "0, 0",
            "0s, 0",
            "0ms, 0",
            "' 30s ', 30000",
            "1.5s, 1500",
    })
    void readsHaproxyUnits(String text, long millis) {
        assertEquals(Duration.ofMillis(millis), Durations.parse("HP_X", text, 1));
    }

    @Test
    void microsecondsKeepSubMillisecondPrecision() {
        assertEquals(Duration.ofNanos(1_500_000), Durations.parse("HP_X", "1500us", 1));
        assertEquals(Duration.ofNanos(250_000), Durations.parse("HP_X", "250us", 1));
    }

    @Test
    void bareNumbersAreMillisecondsForHaproxyTimeouts() {
        // HAProxy reads "timeout server 30" as 30 ms.
        assertEquals(Duration.ofMillis(30), Durations.parse("HP_TIMEOUT_SERVER", "30", 1));
    }

    @Test
    void bareNumbersUseTheGivenUnitForSecondSettings() {
        // HP_BLACKLIST_WINDOW is a plain number of seconds in HaRP.
        assertEquals(Duration.ofSeconds(300), Durations.parse("HP_BLACKLIST_WINDOW", "300", 1000));
        assertEquals(Duration.ofSeconds(300), Durations.parse("HP_BLACKLIST_WINDOW", "5m", 1000));
        assertEquals(Duration.ZERO, Durations.parse("HP_BLACKLIST_WINDOW", "0", 1000));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "s", "-1s", "+1s", "1x", "1 min", "1S", "30sec", "abc", "1s2", "1e3", "1,5s", ".5s"})
    void rejectsOtherSpellingsNamingTheSetting(String text) {
        ConfigException e = assertThrows(ConfigException.class, () -> Durations.parse("HP_TIMEOUT_CLIENT (harp.timeout-client)", text, 1));
        assertTrue(e.getMessage().startsWith("HP_TIMEOUT_CLIENT (harp.timeout-client) "), e.getMessage());
        assertTrue(e.getMessage().contains("\"" + text + "\""), e.getMessage());
    }
}
