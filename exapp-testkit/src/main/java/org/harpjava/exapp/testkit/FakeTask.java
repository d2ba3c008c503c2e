package org.harpjava.exapp.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.Map;
import java.util.Objects;

/**
 * A TaskProcessing task waiting in {@link FakeNextcloud} for a provider.
 *
 * @param id     the task id
 * @param type   the task type id, such as {@code core:text2text}
 * @param userId the user who scheduled it
 * @param input  the input slots (a JSON object); file slots hold file ids
 */
public record FakeTask(long id, String type, String userId, JsonNode input) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public FakeTask {
        Objects.requireNonNull(type, "type");
        userId = userId == null ? "" : userId;
        input = input == null ? JSON.createObjectNode() : input;
    }

    /** A task whose input slots are {@code input} (values any Jackson can write). */
    public static FakeTask of(long id, String type, String userId, Map<String, ?> input) {
        return new FakeTask(id, type, userId, JSON.valueToTree(input));
    }
}
