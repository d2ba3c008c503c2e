package org.harpjava.exapp.testkit;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Optional;

/** A request being answered, with the user AppAPI authentication found ("" for the system context). */
record Exchange(RecordedRequest request, String user) {
    String path() {
        return request.decodedPath();
    }

    String method() {
        return request.method();
    }

    /** A parameter from the query or, as Nextcloud merges them, from the JSON body. */
    Optional<String> param(String name) {
        Optional<String> q = request.queryParam(name);
        if (q.isPresent()) {
            return q;
        }
        JsonNode v = body().get(name);
        return v == null || v.isNull() ? Optional.empty() : Optional.of(v.isValueNode() ? v.asText() : v.toString());
    }

    JsonNode body() {
        JsonNode b = request.body().length == 0 ? null : safeJson();
        return b == null ? Ocs.object() : b;
    }

    private JsonNode safeJson() {
        try {
            return request.json();
        } catch (RuntimeException e) {
            return null;
        }
    }
}
