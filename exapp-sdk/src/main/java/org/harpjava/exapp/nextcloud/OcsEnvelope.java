package org.harpjava.exapp.nextcloud;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Unwraps OCS answers ({@code {"ocs":{"meta":{...},"data":...}}}) and turns failures into typed exceptions. */
final class OcsEnvelope {
    /** The largest OCS answer read into memory. */
    static final int MAX_ANSWER = 32 << 20;
    /** The largest error body read to find a message. */
    static final int MAX_ERROR = 64 << 10;
    private static final Pattern SABRE_MESSAGE = Pattern.compile("<s:message>([^<]{0,300})</s:message>");

    private OcsEnvelope() {
    }

    /** The {@code ocs.data} of a successful answer; a JSON null for 204 or an empty body. */
    static JsonNode unwrap(String method, String path, int status, InputStream body) throws IOException {
        byte[] bytes = readAtMost(body, MAX_ANSWER);
        if (status == 204 || bytes.length == 0) {
            return NullNode.getInstance();
        }
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new HttpStatusException(method, path, status, 0, "the answer is not JSON");
        }
        JsonNode ocs = root == null ? null : root.get("ocs");
        if (ocs == null || !ocs.isObject()) {
            throw new HttpStatusException(method, path, status, 0, "the answer has no OCS envelope");
        }
        JsonNode meta = ocs.path("meta");
        String state = meta.path("status").asText("");
        if (!state.equalsIgnoreCase("ok")) {
            throw failure(method, path, status, meta.path("statuscode").asInt(0), meta.path("message").asText(""),
                    null);
        }
        JsonNode data = ocs.get("data");
        return data == null ? NullNode.getInstance() : data;
    }

    /** The exception for a failed call, from its status, OCS code, a message and {@code Retry-After}. */
    static NextcloudException failure(String method, String path, int status, int ocsStatus, String detail,
                                      Duration retryAfter) {
        if (status == 401 || ocsStatus == 997) {
            return new UnauthorizedException(method, path, status, ocsStatus, detail);
        }
        if (status == 404 || ocsStatus == 998 || (status < 300 && ocsStatus == 404)) {
            return new NotFoundException(method, path, status, ocsStatus, detail);
        }
        if (status == 503 || (status < 300 && ocsStatus == 503)) {
            return new MaintenanceModeException(method, path, status, ocsStatus, detail, retryAfter);
        }
        if (status == 429 || (status < 300 && ocsStatus == 429)) {
            return new TooManyRequestsException(method, path, status, ocsStatus, detail, retryAfter);
        }
        return new HttpStatusException(method, path, status, ocsStatus, detail);
    }

    /** The OCS status code (0 when none) and message found in an error body. */
    record ErrorDetail(int ocsStatus, String message) {
    }

    /** The OCS status code and message of an error body, or the message of a WebDAV (Sabre) error. */
    static ErrorDetail describeError(byte[] body) {
        if (body.length == 0) {
            return new ErrorDetail(0, "");
        }
        try {
            JsonNode root = Json.MAPPER.readTree(body);
            JsonNode meta = root == null ? null : root.path("ocs").get("meta");
            if (meta != null) {
                return new ErrorDetail(meta.path("statuscode").asInt(0), meta.path("message").asText(""));
            }
            if (root != null && root.hasNonNull("message")) {
                return new ErrorDetail(0, root.get("message").asText());
            }
        } catch (IOException e) {
            // not JSON; try WebDAV's XML below
        }
        Matcher m = SABRE_MESSAGE.matcher(new String(body, 0, Math.min(body.length, 4096),
                java.nio.charset.StandardCharsets.UTF_8));
        return new ErrorDetail(0, m.find() ? m.group(1) : "");
    }

    static byte[] readAtMost(InputStream in, int max) throws IOException {
        try (in) {
            byte[] bytes = in.readNBytes(max + 1);
            if (bytes.length > max) {
                throw new IOException("the answer is larger than " + max + " bytes");
            }
            return bytes;
        }
    }
}
