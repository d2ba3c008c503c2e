package org.harpjava.exapp.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Replies of the fake: OCS envelopes as Nextcloud's v1 and v2 OCS APIs shape them, and plain ones. */
final class Ocs {
    static final ObjectMapper JSON = new ObjectMapper();

    private Ocs() {
    }

    /** A reply: status, headers and body. */
    record Reply(int status, Map<String, String> headers, byte[] body) {
        static Reply of(int status, String contentType, byte[] body) {
            return new Reply(status, Map.of("Content-Type", contentType), body);
        }

        static Reply empty(int status) {
            return new Reply(status, Map.of(), new byte[0]);
        }

        Reply withHeader(String name, String value) {
            Map<String, String> h = new java.util.LinkedHashMap<>(headers);
            h.put(name, value);
            return new Reply(status, h, body);
        }
    }

    static boolean v1(String path) {
        return path.startsWith("/ocs/v1.php/");
    }

    /** A successful OCS answer: v1 has status code 100, v2 the HTTP status. */
    static Reply ok(String path, int httpStatus, JsonNode data) {
        return envelope(httpStatus, "ok", v1(path) ? 100 : httpStatus, "OK", data);
    }

    static Reply ok(String path, JsonNode data) {
        return ok(path, 200, data);
    }

    /** An empty successful OCS answer ({@code data: []}). */
    static Reply ok(String path) {
        return ok(path, 200, JSON.createArrayNode());
    }

    /** HTTP 401 with OCS 997, as AppAPI's authentication refuses a request. */
    static Reply unauthorized(String message) {
        return envelope(401, "failure", 997, message, JSON.createArrayNode());
    }

    /** Not found: v1 answers HTTP 200 with OCS 998, v2 HTTP 404 with OCS 404. */
    static Reply notFound(String path, String message) {
        return v1(path) ? envelope(200, "failure", 998, message, JSON.createArrayNode())
                : envelope(404, "failure", 404, message, JSON.createArrayNode());
    }

    /** Any other failure: v1 answers HTTP 200 with the status as OCS code, v2 the status itself. */
    static Reply failure(String path, int status, String message) {
        int http = v1(path) && status != 401 && status != 503 && status != 429 ? 200 : status;
        return envelope(http, "failure", status, message, JSON.createArrayNode());
    }

    static Reply envelope(int httpStatus, String state, int code, String message, JsonNode data) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode ocs = root.putObject("ocs");
        ocs.putObject("meta").put("status", state).put("statuscode", code).put("message", message)
                .put("totalitems", "").put("itemsperpage", "");
        ocs.set("data", data);
        return Reply.of(httpStatus, "application/json; charset=utf-8", root.toString().getBytes(StandardCharsets.UTF_8));
    }

    static ObjectNode object() {
        return JSON.createObjectNode();
    }

    static ArrayNode array(List<? extends JsonNode> items) {
        ArrayNode a = JSON.createArrayNode();
        a.addAll(items);
        return a;
    }

    /** WebDAV's XML error, as Sabre writes it. */
    static Reply davError(int status, String exception, String message) {
        String xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<d:error xmlns:d=\"DAV:\" xmlns:s=\"http://sabredav.org/ns\">"
                + "<s:exception>" + exception + "</s:exception><s:message>" + message + "</s:message></d:error>";
        return Reply.of(status, "application/xml; charset=utf-8", xml.getBytes(StandardCharsets.UTF_8));
    }
}
