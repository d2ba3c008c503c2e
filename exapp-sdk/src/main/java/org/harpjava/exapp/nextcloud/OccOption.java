package org.harpjava.exapp.nextcloud;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Objects;

/**
 * An option of an {@link OccCommand} ({@code --name}, a Symfony console option).
 *
 * @param name         the option's name, the key of its value in the handler's {@code occ.options}
 * @param shortcut     a one-letter shortcut, or "" for none
 * @param description  help text
 * @param mode         whether and how it takes a value
 * @param defaultValue the value when omitted (ignored for {@link Mode#NONE}); JSON null for none
 */
public record OccOption(String name, String shortcut, String description, Mode mode, JsonNode defaultValue) {
    /** Whether and how the option takes a value. */
    public enum Mode {
        /** {@code --name=value} is required when the option is given. */
        REQUIRED("required"),
        /** {@code --name} or {@code --name=value}. */
        OPTIONAL("optional"),
        /** A flag without a value. */
        NONE("none"),
        /** May be given several times. */
        ARRAY("array"),
        /** A flag that also accepts {@code --no-name}. */
        NEGATABLE("negatable");

        private final String wire;

        Mode(String wire) {
            this.wire = wire;
        }

        /** The name AppAPI uses. */
        public String wireName() {
            return wire;
        }
    }

    public OccOption {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(mode, "mode");
        shortcut = shortcut == null ? "" : shortcut;
        description = description == null ? "" : description;
        defaultValue = defaultValue == null ? NullNode.getInstance() : defaultValue;
    }

    /** A flag without a value. */
    public static OccOption flag(String name, String description) {
        return new OccOption(name, "", description, Mode.NONE, null);
    }

    ObjectNode toJson() {
        ObjectNode o = Json.object().put("name", name);
        if (shortcut.isEmpty()) {
            o.putNull("shortcut");
        } else {
            o.put("shortcut", shortcut);
        }
        o.put("description", description).put("mode", mode.wireName());
        o.set("default", defaultValue);
        return o;
    }
}
