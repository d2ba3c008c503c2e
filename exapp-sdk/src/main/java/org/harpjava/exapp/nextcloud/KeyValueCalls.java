package org.harpjava.exapp.nextcloud;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The set, get-values and delete calls {@code ex-app/config} and {@code ex-app/preference} share. */
final class KeyValueCalls {
    private final Session session;
    private final String path;

    KeyValueCalls(Session session, String path) {
        this.session = session;
        this.path = path;
    }

    void set(String key, String value, Boolean sensitive) {
        requireKey(key);
        ObjectNode body = Json.object().put("configKey", key).put("configValue", value);
        if (sensitive != null) {
            body.put("sensitive", sensitive);
        }
        session.ocs(Call.post(path).json(body).idempotent());
    }

    Optional<String> get(String key) {
        return Optional.ofNullable(getValues(List.of(key)).get(key));
    }

    Map<String, String> getValues(Collection<String> keys) {
        Map<String, String> out = new LinkedHashMap<>();
        if (keys.isEmpty()) {
            return out;
        }
        keys.forEach(KeyValueCalls::requireKey);
        JsonNode data = session.ocs(Call.post(path + "/get-values")
                .json(Json.object().set("configKeys", Json.strings(keys))).idempotent());
        for (JsonNode entry : data) {
            JsonNode value = entry.get("configvalue");
            out.put(entry.path("configkey").asText(), value == null || value.isNull() ? null : value.asText());
        }
        return out;
    }

    boolean delete(Collection<String> keys) {
        if (keys.isEmpty()) {
            return false;
        }
        keys.forEach(KeyValueCalls::requireKey);
        try {
            session.ocs(Call.delete(path).json(Json.object().set("configKeys", Json.strings(keys))));
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    private static void requireKey(String key) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("config key must not be empty");
        }
    }
}
