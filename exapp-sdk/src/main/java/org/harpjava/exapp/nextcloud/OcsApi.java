package org.harpjava.exapp.nextcloud;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Map;

/**
 * Any OCS endpoint the typed APIs do not cover, with the same headers, retries, unwrapping and errors. Paths start
 * with {@code /ocs/}; {@code format=json} is added.
 */
public final class OcsApi {
    private final Session session;

    OcsApi(Session session) {
        this.session = session;
    }

    /** {@code GET path?query}; returns {@code ocs.data}. */
    public JsonNode get(String path, Map<String, String> query) {
        return call("GET", path, query, null);
    }

    /** {@code POST path} with a JSON body (a map, record or {@link JsonNode}); returns {@code ocs.data}. */
    public JsonNode post(String path, Object body) {
        return call("POST", path, Map.of(), body);
    }

    /** {@code PUT path} with a JSON body; returns {@code ocs.data}. */
    public JsonNode put(String path, Object body) {
        return call("PUT", path, Map.of(), body);
    }

    /** {@code DELETE path?query}; returns {@code ocs.data}. */
    public JsonNode delete(String path, Map<String, String> query) {
        return call("DELETE", path, query, null);
    }

    /**
     * Any method.
     *
     * @param body a JSON body, or null for none
     */
    public JsonNode call(String method, String path, Map<String, String> query, Object body) {
        if (!path.startsWith("/ocs/")) {
            throw new IllegalArgumentException("an OCS path starts with /ocs/: " + path);
        }
        Call call = Call.of(method, path);
        query.forEach(call::query);
        if (body != null) {
            call.json(Json.tree(body));
        }
        return session.ocs(call);
    }
}
