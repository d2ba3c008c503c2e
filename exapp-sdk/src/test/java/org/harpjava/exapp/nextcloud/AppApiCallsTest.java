package org.harpjava.exapp.nextcloud;

import com.fasterxml.jackson.databind.JsonNode;
import org.harpjava.exapp.testkit.FakeNextcloud;
import org.harpjava.exapp.testkit.RecordedRequest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.harpjava.exapp.nextcloud.Fixture.assertCall;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AppApiCallsTest extends AgainstFakeNextcloud {
    private static final String API = "/ocs/v1.php/apps/app_api/api/v1";
    @Test
    void initStatusPutsProgressAndError() {
        nc.initStatus(42, "");
        assertCall(last(), "PUT", "/ocs/v1.php/apps/app_api/ex-app/status", "", "{\"progress\":42,\"error\":\"\"}");
        nc.initStatus(10, "model download failed");
        assertEquals("model download failed", fake.initStatusReports().get(1).get("error").asText());
        assertThrows(IllegalArgumentException.class, () -> nc.initStatus(101, ""));
    }

    @Test
    void enabledStateReadsTheStateEvenWhileDisabled() {
        assertTrue(nc.enabledState());
        assertCall(last(), "GET", "/ocs/v1.php/apps/app_api/ex-app/state", "", null);
        fake.setEnabled(false);
        assertFalse(nc.enabledState());
        UnauthorizedException e = assertThrows(UnauthorizedException.class, () -> nc.appConfig().set("k", "v"));
        assertEquals(401, e.status());
        assertEquals(997, e.ocsStatus());
    }

    @Test
    void capabilitiesAreUnwrappedAndCached() {
        Capabilities caps = nc.refreshCapabilities();
        assertCall(last(), "GET", "/ocs/v1.php/cloud/capabilities", "", null);
        assertEquals(1, caps.appApiLogLevel());
        assertEquals(Optional.of("31.0.0"), caps.appApiVersion());
        assertEquals("31.0.4", caps.serverVersion());
        assertEquals(31, caps.serverMajorVersion());
        assertTrue(caps.has("spreed.features.bots-v1"));
        assertTrue(caps.has("app_api"));
        assertFalse(caps.has("spreed.features.federation-v9"));
        assertFalse(caps.has("no_such_app"));
        int before = fake.requests().size();
        nc.capabilities();
        nc.asUser("alice").capabilities();
        assertEquals(before, fake.requests().size(), "capabilities come from the shared cache");
    }

    @Test
    void logSendsLevelAndMessageUnlessBelowTheLogLevel() {
        fake.setLogLevel(2);
        nc.refreshCapabilities();
        fake.clearRequests();
        assertTrue(nc.log(LogLevel.WARNING, "disk almost full"));
        assertCall(last(), "POST", API + "/log", "", "{\"level\":2,\"message\":\"disk almost full\"}");
        assertFalse(nc.log(LogLevel.INFO, "not sent"));
        assertEquals(1, fake.requests().size());
        assertTrue(nc.log(LogLevel.FATAL, "boom"));
        assertEquals(new FakeNextcloud.LogEntry(4, "boom"), fake.logs().get(fake.logs().size() - 1));
        fake.setLogLevel(1);
        nc.refreshCapabilities();
    }

    @Test
    void appConfigSetGetDelete() {
        AppConfigApi cfg = nc.appConfig();
        cfg.set("model", "small");
        assertCall(last(), "POST", API + "/ex-app/config", "", "{\"configKey\":\"model\",\"configValue\":\"small\"}");
        cfg.set("token", "t0k", true);
        assertCall(last(), "POST", API + "/ex-app/config", "",
                "{\"configKey\":\"token\",\"configValue\":\"t0k\",\"sensitive\":true}");
        assertTrue(fake.appConfigSensitive("token"));
        assertFalse(fake.appConfigSensitive("model"));

        assertEquals(Optional.of("small"), cfg.get("model"));
        assertCall(last(), "POST", API + "/ex-app/config/get-values", "", "{\"configKeys\":[\"model\"]}");
        assertEquals(Optional.empty(), cfg.get("absent"));
        assertEquals(Map.of("model", "small", "token", "t0k"), cfg.getValues(List.of("model", "absent", "token")));

        assertTrue(cfg.delete("model", "token"));
        assertCall(last(), "DELETE", API + "/ex-app/config", "", "{\"configKeys\":[\"model\",\"token\"]}");
        assertFalse(cfg.delete("model"), "v1 answers OCS 998 inside HTTP 200 for unknown keys");
        assertTrue(fake.appConfig().isEmpty());
        assertThrows(IllegalArgumentException.class, () -> cfg.set("", "x"));
    }

    @Test
    void preferencesAreThoseOfTheImpersonatedUser() {
        assertThrows(IllegalStateException.class, () -> nc.preferences().set("theme", "dark"));
        assertTrue(fake.requests().isEmpty(), "refused before calling Nextcloud");
        PreferencesApi alice = nc.asUser("alice").preferences();
        alice.set("theme", "dark");
        assertCall(last(), "POST", API + "/ex-app/preference", "alice",
                "{\"configKey\":\"theme\",\"configValue\":\"dark\"}");
        assertEquals(Map.of("theme", "dark"), fake.preferences("alice"));
        assertEquals(Optional.of("dark"), alice.get("theme"));
        assertCall(last(), "POST", API + "/ex-app/preference/get-values", "alice", "{\"configKeys\":[\"theme\"]}");
        assertEquals(Optional.empty(), nc.asUser("bob").preferences().get("theme"));
        assertTrue(alice.delete("theme"));
        assertCall(last(), "DELETE", API + "/ex-app/preference", "alice", "{\"configKeys\":[\"theme\"]}");
    }

    @Test
    void asUserSignsWithThatUserAndTheSystemClientWithNone() {
        nc.asUser("carol").enabledState();
        assertEquals(Optional.of("carol"), last().appApiUser());
        nc.asUser("carol").asSystem().enabledState();
        assertEquals(Optional.of(""), last().appApiUser());
        assertEquals(Optional.of("carol"), nc.asUser("carol").user());
        assertEquals(Optional.empty(), nc.user());
        assertThrows(IllegalArgumentException.class, () -> nc.asUser(""));
        assertThrows(IllegalArgumentException.class, () -> nc.asUser("a:b"));
    }

    @Test
    void notificationGoesToTheImpersonatedUser() {
        assertThrows(IllegalStateException.class, () -> nc.notifications().create(Notification.of("hi")));
        Notification n = Notification.builder("Transcript of {file} is ready")
                .subjectParam("file", Map.of("type", "file", "id", "12", "name", "call.ogg", "path", "call.ogg"))
                .message("It took 3 minutes").link("https://cloud.example/apps/files").build();
        String objectId = nc.asUser("bob").notifications().create(n);
        RecordedRequest r = last();
        JsonNode params = r.json().get("params");
        assertEquals(objectId, params.get("object_id").asText());
        assertEquals(56, objectId.length());
        assertCall(r, "POST", API + "/notification", "bob", "{\"params\":{\"object\":\"app_api\",\"object_id\":\""
                + objectId + "\",\"subject_type\":\"app_api_ex_app\",\"subject_params\":{"
                + "\"rich_subject\":\"Transcript of {file} is ready\","
                + "\"rich_subject_params\":{\"file\":{\"type\":\"file\",\"id\":\"12\",\"name\":\"call.ogg\",\"path\":\"call.ogg\"}},"
                + "\"rich_message\":\"It took 3 minutes\",\"rich_message_params\":{},"
                + "\"link\":\"https://cloud.example/apps/files\"}}}");
        nc.asUser("bob").notifications().create(Notification.of("plain"));
        assertFalse(last().json().at("/params/subject_params").has("link"), "no link key without a link");
    }

    @Test
    void rawOcsCallsShareHeadersAndUnwrapping() {
        JsonNode state = nc.ocs().get("/ocs/v1.php/apps/app_api/ex-app/state", Map.of("x", "1 2"));
        assertEquals(1, state.asInt());
        RecordedRequest r = last();
        assertEquals(Optional.of("1 2"), r.queryParam("x"));
        Fixture.assertAppApiHeaders(r, "");
        assertThrows(NotFoundException.class, () -> nc.ocs().get("/ocs/v2.php/apps/nothing/here", Map.of()));
        assertThrows(IllegalArgumentException.class, () -> nc.ocs().get("/index.php/x", Map.of()));
    }

    @Test
    void aTrailingIndexPhpIsDroppedAndNothingPrintsTheSecret() {
        try (NextcloudClient other = NextcloudClient.builder(Fixture.environment(fake))
                .nextcloudUrl(java.net.URI.create(fake.url() + "/index.php/")).build()) {
            assertTrue(other.enabledState());
            assertEquals("/ocs/v1.php/apps/app_api/ex-app/state", last().path());
            assertFalse(other.toString().contains(Fixture.SECRET));
            assertFalse(other.asUser("alice").toString().contains(Fixture.SECRET));
            assertFalse(NextcloudClient.builder(Fixture.environment(fake)).toString().contains(Fixture.SECRET));
        }
    }
}
