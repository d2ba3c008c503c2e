package org.harpjava.server.docker;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/** A JSON request body of a high-level operation, read field by field; every problem names its field. */
final class Payload {
    private static final ObjectReader READER = new ObjectMapper().readerFor(JsonNode.class)
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** A body that is not a JSON object ({@code Invalid JSON body}) or a field that is wrong. */
    static final class Invalid extends Exception {
        Invalid(String message) {
            super(message);
        }
    }

    private final JsonNode json;

    private Payload(JsonNode json) {
        this.json = json;
    }

    static Payload parse(byte[] body) throws Invalid {
        JsonNode json;
        try {
            json = READER.readValue(body);
        } catch (IOException e) {
            json = null;
        }
        if (json == null || json.isMissingNode()) {
            throw new Invalid("Invalid JSON body");
        }
        if (!json.isObject()) {
            throw new Invalid("Payload validation error: the body must be a JSON object");
        }
        return new Payload(json);
    }

    private static Invalid wrong(String field, String why) {
        return new Invalid("Payload validation error: " + field + ": " + why);
    }

    JsonNode node(String field) {
        return json.path(field);
    }

    String string(String field, Predicate<String> valid, String expected) throws Invalid {
        return optionalString(field, valid, expected).orElseThrow(() -> wrong(field, "field required"));
    }

    String string(String field, String fallback, Predicate<String> valid, String expected) throws Invalid {
        return optionalString(field, valid, expected).orElse(fallback);
    }

    Optional<String> optionalString(String field, Predicate<String> valid, String expected) throws Invalid {
        JsonNode n = json.path(field);
        if (n.isMissingNode() || n.isNull()) {
            return Optional.empty();
        }
        if (!n.isTextual()) {
            throw wrong(field, "must be a string");
        }
        if (!valid.test(n.asText())) {
            throw wrong(field, expected);
        }
        return Optional.of(n.asText());
    }

    boolean bool(String field, boolean fallback) throws Invalid {
        JsonNode n = json.path(field);
        if (n.isMissingNode() || n.isNull()) {
            return fallback;
        }
        if (!n.isBoolean()) {
            throw wrong(field, "must be true or false");
        }
        return n.asBoolean();
    }

    List<String> strings(String field, Predicate<String> valid, String expected) throws Invalid {
        JsonNode n = json.path(field);
        List<String> out = new ArrayList<>();
        if (n.isMissingNode() || n.isNull()) {
            return out;
        }
        if (!n.isArray()) {
            throw wrong(field, "must be a list of strings");
        }
        for (int i = 0; i < n.size(); i++) {
            JsonNode item = n.get(i);
            if (!item.isTextual()) {
                throw wrong(field + "[" + i + "]", "must be a string");
            }
            if (!valid.test(item.asText())) {
                throw wrong(field + "[" + i + "]", expected);
            }
            out.add(item.asText());
        }
        return out;
    }

    /** A non-negative whole number inside object {@code parent}, or -1 when absent. */
    static long wholeNumber(JsonNode parent, String parentName, String field) throws Invalid {
        JsonNode n = parent.path(field);
        if (n.isMissingNode() || n.isNull()) {
            return -1;
        }
        if (!n.isIntegralNumber() || !n.canConvertToLong() || n.asLong() < 0) {
            throw wrong(parentName + "." + field, "must be a whole number of at least 0");
        }
        return n.asLong();
    }

    static Invalid invalid(String field, String why) {
        return wrong(field, why);
    }
}
