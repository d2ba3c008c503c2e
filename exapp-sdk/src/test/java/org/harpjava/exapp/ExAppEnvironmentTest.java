package org.harpjava.exapp;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExAppEnvironmentTest {
    private static Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("APP_ID", "notes_ai");
        env.put("APP_SECRET", "topsecret");
        env.put("APP_VERSION", "1.2.0");
        env.put("APP_HOST", "0.0.0.0");
        env.put("APP_PORT", "23001");
        env.put("NEXTCLOUD_URL", "https://cloud.example.com/");
        env.put("APP_PERSISTENT_STORAGE", "/nc_app_notes_ai_data");
        return env;
    }

    @Test
    void readsAppApisDeployEnvironment() {
        ExAppEnvironment e = ExAppEnvironment.from(env());
        assertEquals("notes_ai", e.appId());
        assertEquals(23001, e.appPort());
        assertEquals("https://cloud.example.com", e.nextcloudUrl().toString());
        assertEquals(Path.of("/nc_app_notes_ai_data"), e.persistentStorage());
        assertEquals("CPU", e.computeDevice());
        assertEquals("notes_ai", e.appDisplayName());
        assertEquals(Optional.empty(), e.unixSocket());
    }

    @Test
    void sharedKeySelectsTheUnixSocket() {
        Map<String, String> env = env();
        env.put("HP_SHARED_KEY", "k");
        assertEquals(Optional.of(ExAppEnvironment.DEFAULT_SOCKET), ExAppEnvironment.from(env).unixSocket());
        env.put("HP_EXAPP_SOCK", "/run/app.sock");
        assertEquals(Optional.of(Path.of("/run/app.sock")), ExAppEnvironment.from(env).unixSocket());
    }

    @Test
    void missingOrBadVariablesAreNamed() {
        for (String name : new String[] {"APP_ID", "APP_SECRET", "APP_VERSION", "NEXTCLOUD_URL"}) {
            Map<String, String> env = env();
            env.remove(name);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ExAppEnvironment.from(env));
            assertTrue(e.getMessage().startsWith(name), e.getMessage());
        }
        Map<String, String> env = env();
        env.put("APP_PORT", "eighty");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ExAppEnvironment.from(env)).getMessage()
                .startsWith("APP_PORT"));
        env.put("APP_PORT", "23000");
        env.put("NEXTCLOUD_URL", "ftp://x");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ExAppEnvironment.from(env)).getMessage()
                .startsWith("NEXTCLOUD_URL"));
    }

    @Test
    void secretNeverAppearsInToString() {
        assertFalse(ExAppEnvironment.from(env()).toString().contains("topsecret"));
    }
}
