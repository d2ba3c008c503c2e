package org.harpjava.exapp.nextcloud;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/**
 * A TaskProcessing task as Nextcloud describes it.
 *
 * @param id       the task id
 * @param type     the task type id, such as {@code core:text2text}
 * @param status   Nextcloud's status, such as {@code STATUS_RUNNING}
 * @param userId   the user who scheduled it, or "" for none
 * @param appId    the app that scheduled it
 * @param customId the scheduler's own id, or ""
 * @param input    the input slots; file slots hold file ids
 * @param progress 0 to 1
 */
public record Task(long id, String type, String status, String userId, String appId, String customId,
                   JsonNode input, double progress) {
    static Task of(JsonNode t) {
        return new Task(t.path("id").asLong(), Json.text(t, "type", ""), Json.text(t, "status", ""),
                Json.text(t, "userId", ""), Json.text(t, "appId", ""), Json.text(t, "customId", ""),
                t.path("input"), t.path("progress").asDouble(0));
    }

    /** The text in input slot {@code slot}, or "" when absent. */
    public String inputText(String slot) {
        JsonNode v = input.get(slot);
        return v == null || v.isNull() ? "" : v.asText();
    }

    /** The file ids in input slot {@code slot}: one for a file slot, several for a list slot, none when absent. */
    public List<Long> inputFileIds(String slot) {
        List<Long> ids = new ArrayList<>();
        JsonNode v = input.get(slot);
        if (v == null || v.isNull()) {
            return ids;
        }
        if (v.isArray()) {
            v.forEach(e -> ids.add(e.asLong()));
        } else {
            ids.add(v.asLong());
        }
        return ids;
    }
}
