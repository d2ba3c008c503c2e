package org.harpjava.server.nextcloud;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.harpjava.server.decision.AccessLevel;
import org.harpjava.server.decision.ExAppMeta;
import org.harpjava.server.decision.Route;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExAppMetaJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "Xq9-app-secret-TOKEN";

    /** The exapp-meta reply as AppAPI's HarpService::getHarpExApp builds it. */
    private static final String EXAPP_META = """
            {"exapp_token": "%s",
             "exapp_version": "1.2.3",
             "host": "127.0.0.1",
             "port": 23000,
             "routes": [
               {"url": "^/public$", "access_level": 0, "bruteforce_protection": []},
               {"url": "^/api/.*", "access_level": 1, "bruteforce_protection": [401, 429]},
               {"url": "^/admin", "access_level": 2, "bruteforce_protection": [401]}
             ]}
            """.formatted(TOKEN);

    private static ObjectNode json(String text) {
        try {
            return (ObjectNode) JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static ObjectNode valid() {
        return json(EXAPP_META);
    }

    private static ObjectNode withRoute(String routeJson) {
        ObjectNode n = valid();
        ArrayNode routes = n.putArray("routes");
        routes.add(json(routeJson));
        return n;
    }

    private static ExAppMeta parse(JsonNode n) {
        try {
            return ExAppMetaJson.parse("app", n);
        } catch (InvalidMetadataException e) {
            throw new AssertionError(e);
        }
    }

    /** Asserts that parsing fails with a message containing {@code expected}, never the token. */
    private static String invalid(JsonNode n, String expected) {
        InvalidMetadataException e = assertThrows(InvalidMetadataException.class, () -> ExAppMetaJson.parse("app", n));
        assertTrue(e.getMessage().contains(expected), () -> "expected \"" + expected + "\" in: " + e.getMessage());
        assertFalse(e.getMessage().contains(TOKEN), e.getMessage());
        return e.getMessage();
    }

    @Test
    void readsTheExappMetaShape() {
        ExAppMeta m = parse(valid());
        assertEquals("app", m.appId());
        assertEquals(TOKEN, m.token());
        assertEquals("1.2.3", m.version());
        assertEquals("127.0.0.1", m.host());
        assertEquals(23000, m.port());
        assertEquals(3, m.routes().size());
        Route pub = m.routes().get(0);
        assertEquals("^/public$", pub.url());
        assertEquals(AccessLevel.PUBLIC, pub.accessLevel());
        assertEquals(Set.of(), pub.bruteforceStatus());
        assertEquals(Set.of(), pub.verbs(), "exapp-meta sends no verbs: every method");
        assertEquals(Set.of(), pub.headersToExclude());
        assertEquals(AccessLevel.USER, m.routes().get(1).accessLevel());
        assertEquals(Set.of(401, 429), m.routes().get(1).bruteforceStatus());
        assertEquals(AccessLevel.ADMIN, m.routes().get(2).accessLevel());
        assertTrue(m.routes().get(1).matchesPath("/api/x"));
    }

    @Test
    void keepsRouteOrder() {
        List<String> urls = parse(valid()).routes().stream().map(Route::url).toList();
        assertEquals(List.of("^/public$", "^/api/.*", "^/admin"), urls);
    }

    @Test
    void readsTheExappStoragePushWithExtraFields() {
        ObjectNode n = valid();
        n.put("resolved_host", "10.0.0.9");
        n.put("unknown", true);
        n.put("host", "nc_app_app");
        assertEquals("nc_app_app", parse(n).host());
    }

    @Test
    void acceptsAnAppWithoutRoutes() {
        ObjectNode n = valid();
        n.putArray("routes");
        assertTrue(parse(n).routes().isEmpty());
    }

    @Test
    void versionMayBeEmpty() {
        ObjectNode n = valid();
        n.put("exapp_version", "");
        assertEquals("", parse(n).version());
    }

    @Test
    void portBoundaries() {
        ObjectNode n = valid();
        n.put("port", 1);
        assertEquals(1, parse(n).port());
        n.put("port", 65535);
        assertEquals(65535, parse(n).port());
    }

    @ParameterizedTest
    @ValueSource(strings = {"null", "[]", "\"text\"", "42", "true"})
    void metadataMustBeAnObject(String text) throws Exception {
        invalid(JSON.readTree(text), "metadata must be a JSON object");
    }

    @Test
    void nullNodeIsRefused() {
        assertThrows(InvalidMetadataException.class, () -> ExAppMetaJson.parse("app", null));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "exapp_token|",
            "exapp_token|\"\"",
            "exapp_token|42",
            "exapp_token|null",
            "exapp_token|[\"a\"]",
            "exapp_version|",
            "exapp_version|1.2",
            "exapp_version|null",
            "host|",
            "host|\"\"",
            "host|1",
    })
    void requiredStrings(String field, String value) {
        ObjectNode n = valid();
        if (value == null) {
            n.remove(field);
        } else {
            n.set(field, json("{\"v\":" + value + "}").get("v"));
        }
        invalid(n, "\"" + field + "\" must be a ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "65536", "-1", "1.5", "23000.0", "\"23000\"", "true", "null", "99999999999", "[23000]"})
    void portMustBeAnIntegerInRange(String value) {
        ObjectNode n = valid();
        n.set("port", json("{\"v\":" + value + "}").get("v"));
        invalid(n, "\"port\" must be an integer from 1 to 65535");
    }

    @Test
    void portIsRequired() {
        ObjectNode n = valid();
        n.remove("port");
        invalid(n, "\"port\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "\"^/\"", "null", "42"})
    void routesMustBeAnArray(String value) {
        ObjectNode n = valid();
        n.set("routes", json("{\"v\":" + value + "}").get("v"));
        invalid(n, "\"routes\" must be an array");
    }

    @Test
    void routesAreRequired() {
        ObjectNode n = valid();
        n.remove("routes");
        invalid(n, "\"routes\" must be an array");
    }

    @Test
    void routeCountIsBounded() {
        ObjectNode n = valid();
        ArrayNode routes = n.putArray("routes");
        for (int i = 0; i < ExAppMetaJson.MAX_ROUTES; i++) {
            routes.add(json("{\"url\":\"^/r" + i + "\",\"access_level\":0}"));
        }
        assertEquals(ExAppMetaJson.MAX_ROUTES, parse(n).routes().size());
        routes.add(json("{\"url\":\"^/one-more\",\"access_level\":0}"));
        invalid(n, "more than " + ExAppMetaJson.MAX_ROUTES);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"^/x\"", "null", "[]", "1"})
    void eachRouteMustBeAnObject(String value) {
        ObjectNode n = valid();
        ((ArrayNode) n.get("routes")).add(json("{\"v\":" + value + "}").get("v"));
        invalid(n, "routes[3] must be an object");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"access_level\":0}", "{\"url\":\"\",\"access_level\":0}", "{\"url\":5,\"access_level\":0}",
            "{\"url\":null,\"access_level\":0}", "{\"url\":[\"^/\"],\"access_level\":0}"})
    void routeUrlIsRequired(String route) {
        invalid(withRoute(route), "routes[0].url must be a non-empty string");
    }

    @ParameterizedTest
    @ValueSource(strings = {"^/api/(", "^/[a-", "*x", "^/(?<1bad>x)"})
    void routesWhoseUrlDoesNotCompileAreSkippedAsHarpDoes(String url) {
        ObjectNode n = valid();
        var routes = n.putArray("routes");
        routes.add(JSON.createObjectNode().put("url", url).put("access_level", 0));
        routes.add(JSON.createObjectNode().put("url", "^/ok").put("access_level", 1));
        var parsed = parse(n).routes();
        assertEquals(1, parsed.size());
        assertEquals("^/ok", parsed.get(0).url());
    }

    @Test
    void pythonNamedGroupsAreUnderstood() {
        var route = parse(withRoute("{\"url\":\"^/files/(?P<id>[0-9]+)/(?P=id)$\",\"access_level\":0}")).routes().get(0);
        assertTrue(route.matchesPath("/files/42/42"));
        assertFalse(route.matchesPath("/files/42/43"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"0|PUBLIC", "1|USER", "2|ADMIN", "\"PUBLIC\"|PUBLIC", "\"user\"|USER",
            "\"ADMIN\"|ADMIN", "\"1\"|USER", "\"2\"|ADMIN"})
    void accessLevelsAsAppApiWritesThem(String value, AccessLevel level) {
        assertEquals(level, parse(withRoute("{\"url\":\"^/\",\"access_level\":" + value + "}")).routes().get(0).accessLevel());
    }

    @ParameterizedTest
    @ValueSource(strings = {"3", "-1", "1.5", "true", "null", "\"root\"", "\"\"", "[1]", "{}", "9999999999999"})
    void otherAccessLevelsAreRefused(String value) {
        invalid(withRoute("{\"url\":\"^/\",\"access_level\":" + value + "}"),
                "routes[0].access_level must be 0, 1, 2, PUBLIC, USER or ADMIN");
    }

    @Test
    void accessLevelIsRequired() {
        invalid(withRoute("{\"url\":\"^/\"}"), "routes[0].access_level");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ",\"bruteforce_protection\":null", ",\"bruteforce_protection\":[]",
            ",\"bruteforce_protection\":\"\"", ",\"bruteforce_protection\":\"[]\""})
    void bruteforceProtectionMayBeAbsentOrEmpty(String field) {
        assertEquals(Set.of(), parse(withRoute("{\"url\":\"^/\",\"access_level\":0" + field + "}"))
                .routes().get(0).bruteforceStatus());
    }

    @Test
    void bruteforceProtectionAsArrayOrJsonText() {
        // info.xml holds it as JSON text; exapp-meta sends a decoded array.
        assertEquals(Set.of(401, 429), parse(withRoute(
                "{\"url\":\"^/\",\"access_level\":0,\"bruteforce_protection\":[401,429,401]}")).routes().get(0).bruteforceStatus());
        assertEquals(Set.of(401, 403), parse(withRoute(
                "{\"url\":\"^/\",\"access_level\":0,\"bruteforce_protection\":\"[401, 403]\"}")).routes().get(0).bruteforceStatus());
    }

    @ParameterizedTest
    @ValueSource(strings = {"[99]", "[600]", "[\"401\"]", "[401.5]", "[null]", "\"401\"", "\"[401\"", "{\"a\":401}", "401",
            "\"{}\""})
    void bruteforceProtectionMustListStatusCodes(String value) {
        invalid(withRoute("{\"url\":\"^/\",\"access_level\":0,\"bruteforce_protection\":" + value + "}"),
                "routes[0].bruteforce_protection");
    }

    @Test
    void verbsAsCommaListOrArray() {
        assertEquals(Set.of("GET", "POST"), parse(withRoute(
                "{\"url\":\"^/\",\"access_level\":0,\"verb\":\"GET, post\"}")).routes().get(0).verbs());
        assertEquals(Set.of("PUT", "DELETE"), parse(withRoute(
                "{\"url\":\"^/\",\"access_level\":0,\"verb\":[\"put\",\"DELETE\"]}")).routes().get(0).verbs());
        assertEquals(Set.of(), parse(withRoute(
                "{\"url\":\"^/\",\"access_level\":0,\"verb\":\"\"}")).routes().get(0).verbs());
        assertEquals(Set.of("GET"), parse(withRoute(
                "{\"url\":\"^/\",\"access_level\":0,\"verb\":\"GET,,\"}")).routes().get(0).verbs());
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"GET;POST\"", "\"G E T\"", "\"GET,P0ST\"", "[1]", "[\"GET\", null]", "42", "{}"})
    void invalidVerbsAreRefused(String value) {
        invalid(withRoute("{\"url\":\"^/\",\"access_level\":0,\"verb\":" + value + "}"), "routes[0].verb");
    }

    @Test
    void headersToExcludeAreLowerCased() {
        assertEquals(Set.of("cookie", "x-token"), parse(withRoute(
                "{\"url\":\"^/\",\"access_level\":0,\"headers_to_exclude\":[\"Cookie\",\" X-Token \"]}"))
                .routes().get(0).headersToExclude());
        assertEquals(Set.of("cookie"), parse(withRoute(
                "{\"url\":\"^/\",\"access_level\":0,\"headers_to_exclude\":\"[\\\"Cookie\\\"]\"}"))
                .routes().get(0).headersToExclude());
    }

    @ParameterizedTest
    @ValueSource(strings = {"[\"\"]", "[1]", "[null]", "\"Cookie\"", "{}"})
    void invalidHeadersToExcludeAreRefused(String value) {
        invalid(withRoute("{\"url\":\"^/\",\"access_level\":0,\"headers_to_exclude\":" + value + "}"),
                "routes[0].headers_to_exclude");
    }

    @Test
    void errorsNameTheRouteIndex() {
        ObjectNode n = valid();
        ((ArrayNode) n.get("routes")).add(json("{\"url\":\"^/x\",\"access_level\":7}"));
        invalid(n, "routes[3].access_level");
    }
}
