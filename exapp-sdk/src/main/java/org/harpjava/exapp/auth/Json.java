package org.harpjava.exapp.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The small JSON bodies the SDK answers with itself. */
public final class Json {
    /** Shared, thread-safe mapper of the SDK. */
    public static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    /** {@code {"key": "value"}} as text. */
    public static String object(String key, String value) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put(key, value);
        return node.toString();
    }
}
