package org.harpjava.server.decision;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AccessLevelTest {

    @Test
    void codesAreAppApis() {
        assertEquals(Optional.of(AccessLevel.PUBLIC), AccessLevel.ofCode(0));
        assertEquals(Optional.of(AccessLevel.USER), AccessLevel.ofCode(1));
        assertEquals(Optional.of(AccessLevel.ADMIN), AccessLevel.ofCode(2));
        assertEquals(Optional.empty(), AccessLevel.ofCode(3));
        assertEquals(Optional.empty(), AccessLevel.ofCode(-1));
        assertEquals(Optional.empty(), AccessLevel.ofCode(Long.MAX_VALUE));
        assertEquals(Optional.empty(), AccessLevel.ofCode(Long.MIN_VALUE));
        assertEquals(Optional.empty(), AccessLevel.ofCode(1L << 32));
    }

    @ParameterizedTest
    @CsvSource({"PUBLIC, PUBLIC", "public, PUBLIC", "User, USER", "ADMIN, ADMIN", "' admin ', ADMIN",
            "0, PUBLIC", "1, USER", "2, ADMIN", "01, USER"})
    void parsesNamesAndCodes(String text, AccessLevel level) {
        assertEquals(Optional.of(level), AccessLevel.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "3", "-1", "root", "ADMINS", "1.0", "999", "PUBLIC,USER"})
    void refusesOtherText(String text) {
        assertEquals(Optional.empty(), AccessLevel.parse(text));
    }

    @Test
    void levelsAreOrdered() {
        assertTrue(AccessLevel.ADMIN.satisfies(AccessLevel.ADMIN));
        assertTrue(AccessLevel.ADMIN.satisfies(AccessLevel.USER));
        assertTrue(AccessLevel.ADMIN.satisfies(AccessLevel.PUBLIC));
        assertTrue(AccessLevel.USER.satisfies(AccessLevel.USER));
        assertTrue(AccessLevel.USER.satisfies(AccessLevel.PUBLIC));
        assertFalse(AccessLevel.USER.satisfies(AccessLevel.ADMIN));
        assertTrue(AccessLevel.PUBLIC.satisfies(AccessLevel.PUBLIC));
        assertFalse(AccessLevel.PUBLIC.satisfies(AccessLevel.USER));
        assertFalse(AccessLevel.PUBLIC.satisfies(AccessLevel.ADMIN));
    }
}
