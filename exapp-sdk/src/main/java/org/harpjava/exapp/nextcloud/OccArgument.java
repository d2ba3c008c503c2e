package org.harpjava.exapp.nextcloud;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Objects;

/**
 * A positional argument of an {@link OccCommand} (a Symfony console argument).
 *
 * @param name         the argument's name, the key of its value in the handler's {@code occ.arguments}
 * @param description  help text
 * @param mode         required, optional, or a list of values
 * @param defaultValue the value when omitted (used by optional and array arguments); JSON null for none
 */
public record OccArgument(String name, String description, Mode mode, JsonNode defaultValue) {
    /** How the argument is given. */
    public enum Mode {
        /** Must be given. */
        REQUIRED("required"),
        /** May be left out. */
        OPTIONAL("optional"),
        /** Takes all remaining values as a list. */
        ARRAY("array");

        private final String wire;

        Mode(String wire) {
            this.wire = wire;
        }

        /** The name AppAPI uses. */
        public String wireName() {
            return wire;
        }
    }

    public OccArgument {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(mode, "mode");
        description = description == null ? "" : description;
        defaultValue = defaultValue == null ? NullNode.getInstance() : defaultValue;
    }

    /** A required argument. */
    public static OccArgument required(String name, String description) {
        return new OccArgument(name, description, Mode.REQUIRED, null);
    }

    /** An optional argument with a default (a string, number, list or {@link JsonNode}; null for none). */
    public static OccArgument optional(String name, String description, Object defaultValue) {
        return new OccArgument(name, description, Mode.OPTIONAL, defaultValue == null ? null : Json.tree(defaultValue));
    }

    ObjectNode toJson() {
        ObjectNode o = Json.object().put("name", name).put("description", description).put("mode", mode.wireName());
        o.set("default", defaultValue);
        return o;
    }
}
