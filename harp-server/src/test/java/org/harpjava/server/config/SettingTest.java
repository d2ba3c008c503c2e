package org.harpjava.server.config;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SettingTest {

    @Test
    void readsHarpsEnvironmentVariableNames() {
        assertEquals("HP_SHARED_KEY", Setting.SHARED_KEY.env());
        assertEquals("HP_SHARED_KEY_FILE", Setting.SHARED_KEY_FILE.env());
        assertEquals("NC_INSTANCE_URL", Setting.NEXTCLOUD_URL.env());
        assertEquals("HP_EXAPPS_ADDRESS", Setting.EXAPPS_ADDRESS.env());
        assertEquals("HP_EXAPPS_HTTPS_ADDRESS", Setting.EXAPPS_HTTPS_ADDRESS.env());
        assertEquals("HP_TRUSTED_PROXY_IPS", Setting.TRUSTED_PROXY_IPS.env());
        assertEquals("HP_LOG_LEVEL", Setting.LOG_LEVEL.env());
        assertEquals("HP_SESSION_LIFETIME", Setting.SESSION_LIFETIME.env());
        assertEquals("HP_BLACKLIST_COUNT", Setting.BLACKLIST_COUNT.env());
        assertEquals("HP_BLACKLIST_WINDOW", Setting.BLACKLIST_WINDOW.env());
        assertEquals("HP_TIMEOUT_CONNECT", Setting.TIMEOUT_CONNECT.env());
        assertEquals("HP_TIMEOUT_CLIENT", Setting.TIMEOUT_CLIENT.env());
        assertEquals("HP_TIMEOUT_SERVER", Setting.TIMEOUT_SERVER.env());
        assertEquals("HP_TIMEOUT_TUNNEL", Setting.TIMEOUT_TUNNEL.env());
    }

    @Test
    void labelNamesVariableAndYamlKey() {
        assertEquals("HP_SESSION_LIFETIME (harp.session-lifetime)", Setting.SESSION_LIFETIME.label());
        assertEquals("NC_INSTANCE_URL (harp.nextcloud-url)", Setting.NEXTCLOUD_URL.label());
    }

    @Test
    void namesAndKeysAreUnique() {
        Set<String> envs = new HashSet<>();
        Set<String> keys = new HashSet<>();
        for (Setting s : Setting.values()) {
            assertTrue(envs.add(s.env()), s.env());
            assertTrue(keys.add(s.key()), s.key());
            assertTrue(s.key().matches("[a-z]+(-[a-z]+)*"), s.key());
        }
    }
}
