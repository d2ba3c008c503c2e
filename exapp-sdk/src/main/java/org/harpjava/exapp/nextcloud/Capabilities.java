package org.harpjava.exapp.nextcloud;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

import java.util.Optional;

/**
 * The answer of {@code GET /ocs/v1.php/cloud/capabilities}.
 *
 * @param version      the server version object ({@code major}, {@code minor}, {@code micro}, {@code string}, ...)
 * @param capabilities the capabilities object, keyed by app ({@code core}, {@code app_api}, {@code spreed}, ...)
 */
public record Capabilities(JsonNode version, JsonNode capabilities) {
    /** Reads the {@code ocs.data} of the capabilities endpoint. */
    static Capabilities of(JsonNode data) {
        return new Capabilities(data.path("version"), data.path("capabilities"));
    }

    /** AppAPI's {@code app_api.loglevel}: log levels below it are not sent. 0 when AppAPI does not say. */
    public int appApiLogLevel() {
        return capabilities.path("app_api").path("loglevel").asInt(0);
    }

    /** AppAPI's {@code app_api.version}, when AppAPI is installed. */
    public Optional<String> appApiVersion() {
        JsonNode v = capabilities.path("app_api").path("version");
        return v.isValueNode() ? Optional.of(v.asText()) : Optional.empty();
    }

    /** The server version string, such as {@code 31.0.4}, or "" when not given. */
    public String serverVersion() {
        return version.path("string").asText("");
    }

    /** The server's major version, or 0 when not given. */
    public int serverMajorVersion() {
        return version.path("major").asInt(0);
    }

    /**
     * Whether a capability is present, given as a dotted path like {@code nc_py_api}'s {@code check_capabilities}:
     * {@code app_api} is an object key, and in {@code spreed.features.bots-v1} the last part may be an element of
     * the {@code features} list.
     */
    public boolean has(String dottedPath) {
        String[] parts = dottedPath.split("\\.");
        JsonNode node = capabilities;
        for (int i = 0; i < parts.length; i++) {
            if (node.isArray() && i == parts.length - 1) {
                for (JsonNode e : node) {
                    if (e.isTextual() && e.asText().equals(parts[i])) {
                        return true;
                    }
                }
                return false;
            }
            node = node.path(parts[i]);
            if (node.isMissingNode()) {
                return false;
            }
        }
        return !node.isNull();
    }

    /** The capability node at a dotted path, or a missing node. */
    public JsonNode get(String dottedPath) {
        JsonNode node = capabilities;
        for (String part : dottedPath.split("\\.")) {
            node = node.path(part);
        }
        return node == null ? MissingNode.getInstance() : node;
    }
}
