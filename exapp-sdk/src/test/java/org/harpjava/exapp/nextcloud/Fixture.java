package org.harpjava.exapp.nextcloud;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.harpjava.exapp.ExAppEnvironment;
import org.harpjava.exapp.testkit.FakeNextcloud;
import org.harpjava.exapp.testkit.RecordedRequest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Shared set-up: a fake Nextcloud, a client built from its deploy environment, and header assertions. */
final class Fixture {
    static final String APP_ID = "test_exapp";
    static final String SECRET = "Sup3r-S3cret-" + Long.toHexString(new SplittableRandom().nextLong());
    static final String APP_VERSION = "1.2.3";
    static final ObjectMapper JSON = new ObjectMapper();

    private Fixture() {
    }

    static FakeNextcloud fake() {
        return FakeNextcloud.start(APP_ID, SECRET);
    }

    static ExAppEnvironment environment(FakeNextcloud fake) {
        return ExAppEnvironment.from(fake.environment(APP_VERSION, 23000));
    }

    /** A client with quick retries, so tests stay fast. */
    static NextcloudClient.Builder builder(FakeNextcloud fake) {
        return NextcloudClient.builder(environment(fake)).timeout(Duration.ofSeconds(10))
                .transferTimeout(Duration.ofSeconds(20)).initialBackoff(Duration.ofMillis(20));
    }

    static NextcloudClient client(FakeNextcloud fake) {
        return builder(fake).build();
    }

    /** Checks the AppAPI headers of {@code r}, computed here independently, for {@code user} ("" for none). */
    static void assertAppApiHeaders(RecordedRequest r, String user) {
        assertEquals(APP_ID, r.header("EX-APP-ID").orElse(null), "EX-APP-ID");
        assertEquals(APP_VERSION, r.header("EX-APP-VERSION").orElse(null), "EX-APP-VERSION");
        String expected = Base64.getEncoder().encodeToString((user + ":" + SECRET).getBytes(StandardCharsets.UTF_8));
        assertEquals(expected, r.header("AUTHORIZATION-APP-API").orElse(null), "AUTHORIZATION-APP-API");
        assertEquals("32", r.header("AA-VERSION").orElse(null), "AA-VERSION from the environment");
        assertEquals("true", r.header("OCS-APIRequest").orElse(null), "OCS-APIRequest");
        assertEquals("application/json", r.header("Accept").orElse(null), "Accept");
        assertFalse(r.header("Cookie").isPresent(), "the session cookie Nextcloud set must not be sent back");
        if (r.path().startsWith("/ocs/")) {
            assertTrue(r.queryParams().getOrDefault("format", java.util.List.of()).contains("json"),
                    "format=json on an OCS URL: " + r.query());
        }
    }

    /** Checks method, raw path, AppAPI headers for {@code user}, and that the JSON body equals {@code json}. */
    static void assertCall(RecordedRequest r, String method, String path, String user, String json) {
        assertEquals(method, r.method());
        assertEquals(path, r.path());
        assertAppApiHeaders(r, user);
        if (json == null) {
            assertEquals(0, r.body().length, "no body expected: " + r.bodyText());
        } else {
            assertEquals(tree(json), r.json(), "body");
            assertTrue(r.header("Content-Type").orElse("").startsWith("application/json"), "Content-Type");
        }
    }

    static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] randomBytes(int size, long seed) {
        byte[] b = new byte[size];
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < size; i += 8) {
            long v = r.nextLong();
            for (int j = 0; j < 8 && i + j < size; j++) {
                b[i + j] = (byte) (v >>> (8 * j));
            }
        }
        return b;
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
