package org.harpjava.server.nextcloud;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import org.harpjava.server.decision.AccessLevel;
import org.harpjava.server.decision.ExAppMeta;
import org.harpjava.server.decision.Route;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads ExApp metadata in AppAPI's JSON shape ({@code harp/exapp-meta} and {@code POST exapp_storage}):
 * {@code exapp_token}, {@code exapp_version}, {@code host}, {@code port} and {@code routes}, each route with
 * {@code url}, {@code access_level} and optionally {@code bruteforce_protection}, {@code verb} and
 * {@code headers_to_exclude}. The two list fields may be JSON arrays or JSON text, as in {@code info.xml}.
 */
public final class ExAppMetaJson {
    /** Routes accepted per ExApp. */
    public static final int MAX_ROUTES = 1000;

    private static final System.Logger LOG = System.getLogger(ExAppMetaJson.class.getName());

    /** Reads one whole JSON value from list fields given as text; anything after it is an error. */
    private static final ObjectReader JSON_TEXT = new ObjectMapper().readerFor(JsonNode.class)
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private ExAppMetaJson() {
    }

    /**
     * Route regexes are written for Python's {@code re} (HaRP) and PCRE (AppAPI): named groups
     * {@code (?P<name>...)} and back-references {@code (?P=name)} become Java's {@code (?<name>...)} and
     * {@code \k<name>}.
     */
    static String pythonToJava(String regex) {
        if (!regex.contains("(?P")) {
            return regex;
        }
        return regex.replaceAll("\\(\\?P<", "(?<").replaceAll("\\(\\?P=(\\w+)\\)", "\\\\k<$1>");
    }

    /** Parses metadata for {@code appId}. */
    public static ExAppMeta parse(String appId, JsonNode node) throws InvalidMetadataException {
        if (node == null || !node.isObject()) {
            throw new InvalidMetadataException("metadata must be a JSON object");
        }
        String token = requiredText(node, "exapp_token", false);
        String version = requiredText(node, "exapp_version", true);
        String host = requiredText(node, "host", false);
        JsonNode port = node.get("port");
        if (port == null || !port.canConvertToInt() || !port.isIntegralNumber()
                || port.asInt() < 1 || port.asInt() > 65535) {
            throw new InvalidMetadataException("\"port\" must be an integer from 1 to 65535");
        }
        JsonNode routes = node.get("routes");
        if (routes == null || !routes.isArray()) {
            throw new InvalidMetadataException("\"routes\" must be an array");
        }
        if (routes.size() > MAX_ROUTES) {
            throw new InvalidMetadataException("\"routes\" has more than " + MAX_ROUTES + " entries");
        }
        List<Route> parsed = new ArrayList<>(routes.size());
        for (int i = 0; i < routes.size(); i++) {
            route(appId, i, routes.get(i)).ifPresent(parsed::add);
        }
        return new ExAppMeta(appId, token, version, host, port.asInt(), parsed);
    }

    /** A route, or empty when its regular expression does not compile: skipped, as HaRP skips it. */
    private static java.util.Optional<Route> route(String appId, int index, JsonNode r) throws InvalidMetadataException {
        String where = "routes[" + index + "]";
        if (!r.isObject()) {
            throw new InvalidMetadataException(where + " must be an object");
        }
        JsonNode url = r.get("url");
        if (url == null || !url.isTextual() || url.asText().isEmpty()) {
            throw new InvalidMetadataException(where + ".url must be a non-empty string");
        }
        Pattern pattern;
        try {
            pattern = Pattern.compile(pythonToJava(url.asText()));
        } catch (PatternSyntaxException e) {
            LOG.log(System.Logger.Level.WARNING, "ExApp " + appId + ": skipping " + where + ", its url is not a valid "
                    + "regular expression (" + e.getDescription() + ")");
            return java.util.Optional.empty();
        }
        AccessLevel level = accessLevel(where, r.get("access_level"));
        Set<Integer> statuses = new LinkedHashSet<>();
        for (JsonNode s : list(where + ".bruteforce_protection", r.get("bruteforce_protection"))) {
            if (!s.isIntegralNumber() || s.asInt() < 100 || s.asInt() > 599) {
                throw new InvalidMetadataException(where + ".bruteforce_protection must list HTTP status codes");
            }
            statuses.add(s.asInt());
        }
        Set<String> verbs = new LinkedHashSet<>();
        JsonNode verb = r.get("verb");
        if (verb != null && verb.isTextual()) {
            for (String v : verb.asText().split(",")) {
                if (!v.isBlank()) {
                    verbs.add(token(where + ".verb", v));
                }
            }
        } else {
            for (JsonNode v : list(where + ".verb", verb)) {
                if (!v.isTextual()) {
                    throw new InvalidMetadataException(where + ".verb must be a comma list or an array of methods");
                }
                verbs.add(token(where + ".verb", v.asText()));
            }
        }
        Set<String> excluded = new LinkedHashSet<>();
        for (JsonNode h : list(where + ".headers_to_exclude", r.get("headers_to_exclude"))) {
            if (!h.isTextual() || h.asText().isBlank()) {
                throw new InvalidMetadataException(where + ".headers_to_exclude must list header names");
            }
            excluded.add(h.asText().strip().toLowerCase(Locale.ROOT));
        }
        return java.util.Optional.of(new Route(url.asText(), pattern, verbs, level, statuses, excluded));
    }

    private static String token(String where, String method) throws InvalidMetadataException {
        String m = method.strip().toUpperCase(Locale.ROOT);
        if (!m.matches("[A-Z]{1,20}")) {
            throw new InvalidMetadataException(where + " has an invalid method \"" + method.strip() + "\"");
        }
        return m;
    }

    private static AccessLevel accessLevel(String where, JsonNode n) throws InvalidMetadataException {
        if (n != null && n.isIntegralNumber()) {
            return AccessLevel.ofCode(n.asLong()).orElseThrow(() -> badLevel(where));
        }
        if (n != null && n.isTextual()) {
            return AccessLevel.parse(n.asText()).orElseThrow(() -> badLevel(where));
        }
        throw badLevel(where);
    }

    private static InvalidMetadataException badLevel(String where) {
        return new InvalidMetadataException(where + ".access_level must be 0, 1, 2, PUBLIC, USER or ADMIN");
    }

    /** A list field as an array; JSON text holding an array is read too, absent or null is empty. */
    private static List<JsonNode> list(String where, JsonNode n) throws InvalidMetadataException {
        if (n == null || n.isNull()) {
            return List.of();
        }
        JsonNode array = n;
        if (n.isTextual()) {
            if (n.asText().isBlank()) {
                return List.of();
            }
            try {
                array = JSON_TEXT.readValue(n.asText());
            } catch (JsonProcessingException e) {
                throw new InvalidMetadataException(where + " is text but not a JSON array");
            }
        }
        if (!array.isArray()) {
            throw new InvalidMetadataException(where + " must be an array");
        }
        List<JsonNode> out = new ArrayList<>(array.size());
        array.forEach(out::add);
        return out;
    }

    private static String requiredText(JsonNode node, String field, boolean mayBeEmpty) throws InvalidMetadataException {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual() || (!mayBeEmpty && v.asText().isEmpty())) {
            throw new InvalidMetadataException("\"" + field + "\" must be a " + (mayBeEmpty ? "" : "non-empty ") + "string");
        }
        return v.asText();
    }
}
