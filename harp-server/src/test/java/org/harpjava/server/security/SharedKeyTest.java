package org.harpjava.server.security;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SharedKeyTest {
    private static final String VALUE = "k3y!with spaces & \"quotes\"";
    private final SharedKey key = SharedKey.of(VALUE);

    @Test
    void matchesOnlyTheExactKey() {
        assertTrue(key.matches(VALUE));
        assertTrue(key.matches(new String(VALUE.toCharArray())), "equality, not identity");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "k", "k3y!with spaces & \"quotes", "k3y!with spaces & \"quotes\"x",
            "K3Y!WITH SPACES & \"QUOTES\"", " k3y!with spaces & \"quotes\"", "k3y!with spaces & \"quotes\" ",
            "k3y!with spaces & 'quotes'"})
    void refusesEverythingElse(String candidate) {
        assertFalse(key.matches(candidate));
    }

    @Test
    void nullNeverMatches() {
        assertFalse(key.matches(null));
    }

    @Test
    void emptyKeysAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> SharedKey.of(""));
        assertThrows(IllegalArgumentException.class, () -> SharedKey.of(null));
    }

    @Test
    void comparesUnicodeByItsBytes() {
        SharedKey k = SharedKey.of("caf\u00e9");
        assertTrue(k.matches("caf\u00e9"));
        assertFalse(k.matches("cafe\u0301"), "no normalisation");
        assertFalse(k.matches("caf\u00c3\u00a9"));
    }

    @Test
    void neverPrintsTheKey() {
        assertFalse(key.toString().contains(VALUE));
        assertFalse(key.toString().contains("k3y"));
        assertEquals("SharedKey[redacted]", key.toString());
    }

    @Test
    void revealsTheKeyForNextcloud() {
        assertEquals(VALUE, key.reveal());
    }

    @Test
    void longCandidatesAreComparedWithoutError() {
        String huge = "x".repeat(1 << 20);
        assertFalse(key.matches(huge));
        assertTrue(SharedKey.of(huge).matches("x".repeat(1 << 20)));
    }
}
