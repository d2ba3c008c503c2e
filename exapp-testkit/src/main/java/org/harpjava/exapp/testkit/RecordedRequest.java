package org.harpjava.exapp.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One request {@link FakeNextcloud} received, as it came off the wire.
 *
 * @param method  the HTTP method
 * @param path    the raw (still percent-encoded) path
 * @param query   the raw query, "" for none
 * @param headers header values by lower-case name
 * @param body    the body bytes, empty for none
 */
public record RecordedRequest(String method, String path, String query, Map<String, List<String>> headers,
                              byte[] body) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public RecordedRequest {
        query = query == null ? "" : query;
        Map<String, List<String>> copy = new LinkedHashMap<>();
        headers.forEach((k, v) -> copy.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
        headers = Map.copyOf(copy);
        body = body == null ? new byte[0] : body;
    }

    /** The first value of header {@code name} (any case). */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** The decoded query parameters, in order, each name with all its values. */
    public Map<String, List<String>> queryParams() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (query.isEmpty()) {
            return out;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return out;
    }

    /** The first value of query parameter {@code name}. */
    public Optional<String> queryParam(String name) {
        List<String> values = queryParams().get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** The decoded path. */
    public String decodedPath() {
        return URLDecoder.decode(path.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** The body as UTF-8 text. */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The body parsed as JSON; a missing node when there is no body. */
    public JsonNode json() {
        if (body.length == 0) {
            return JSON.missingNode();
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException("the request body is not JSON: " + bodyText(), e);
        }
    }

    /**
     * The user and secret of {@code AUTHORIZATION-APP-API}: {@code [user, secret]} split on the first {@code :}, or
     * empty when the header is missing or not base64.
     */
    public Optional<String[]> appApiAuthorization() {
        return header("AUTHORIZATION-APP-API").flatMap(v -> {
            try {
                String plain = new String(Base64.getDecoder().decode(v.strip()), StandardCharsets.UTF_8);
                int colon = plain.indexOf(':');
                return colon < 0 ? Optional.empty()
                        : Optional.of(new String[]{plain.substring(0, colon), plain.substring(colon + 1)});
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        });
    }

    /** The acting user of the AppAPI credentials ("" for the system context), if the header decodes. */
    public Optional<String> appApiUser() {
        return appApiAuthorization().map(a -> a[0]);
    }

    @Override
    public String toString() {
        return "RecordedRequest[" + method + " " + path + (query.isEmpty() ? "" : "?" + query) + ", " + body.length
                + " body bytes]";
    }
}
