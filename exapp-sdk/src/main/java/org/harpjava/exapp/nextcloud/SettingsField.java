package org.harpjava.exapp.nextcloud;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One field of a {@link SettingsForm}. Build it with {@link #builder(String, String, SettingsFieldType)}.
 *
 * @param id           the config key the value is stored under
 * @param title        the label of the field
 * @param type         the input type
 * @param defaultValue the default value: text, number, boolean, or a JSON array or object for multi-value types
 * @param description  help text; "" for none
 * @param placeholder  placeholder text; "" for none
 * @param label        the label of a checkbox; "" for none
 * @param options      the choices of radio, select, multi-select and multi-checkbox fields
 * @param sensitive    whether the value is stored encrypted
 */
public record SettingsField(String id, String title, SettingsFieldType type, JsonNode defaultValue,
                            String description, String placeholder, String label, List<Option> options,
                            boolean sensitive) {
    /**
     * A choice of a select, radio or multi-checkbox field.
     *
     * @param name  what users see
     * @param value what is stored (for multi-checkbox fields: the key in the stored object)
     */
    public record Option(String name, String value) {
        public Option {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
        }
    }

    public SettingsField {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(type, "type");
        defaultValue = defaultValue == null ? TextNode.valueOf("") : defaultValue;
        description = description == null ? "" : description;
        placeholder = placeholder == null ? "" : placeholder;
        label = label == null ? "" : label;
        options = List.copyOf(options == null ? List.of() : options);
        if (type.hasOptions() && options.isEmpty()) {
            throw new IllegalArgumentException("a " + type.wireName() + " field needs options: " + id);
        }
    }

    /** A builder for a field of {@code type}. */
    public static Builder builder(String id, String title, SettingsFieldType type) {
        return new Builder(id, title, type);
    }

    ObjectNode toJson() {
        ObjectNode o = Json.object().put("id", id).put("title", title).put("type", type.wireName());
        o.set("default", defaultValue);
        o.put("description", description);
        ArrayNode opts = o.putArray("options");
        for (Option option : options) {
            opts.addObject().put("name", option.name()).put("value", option.value());
        }
        o.put("placeholder", placeholder).put("label", label).put("notify", false);
        if (sensitive) {
            o.put("sensitive", true);
        }
        return o;
    }

    /** Builds a {@link SettingsField}. */
    public static final class Builder {
        private final String id;
        private final String title;
        private final SettingsFieldType type;
        private JsonNode defaultValue;
        private String description = "";
        private String placeholder = "";
        private String label = "";
        private final List<Option> options = new ArrayList<>();
        private boolean sensitive;

        private Builder(String id, String title, SettingsFieldType type) {
            this.id = id;
            this.title = title;
            this.type = type;
        }

        /** The default value: a string, number, boolean, list, map or {@link JsonNode}. */
        public Builder defaultValue(Object value) {
            this.defaultValue = Json.tree(value);
            return this;
        }

        /** Help text. */
        public Builder description(String description) {
            this.description = description;
            return this;
        }

        /** Placeholder text. */
        public Builder placeholder(String placeholder) {
            this.placeholder = placeholder;
            return this;
        }

        /** The label of a checkbox. */
        public Builder label(String label) {
            this.label = label;
            return this;
        }

        /** Adds a choice. */
        public Builder option(String name, String value) {
            options.add(new Option(name, value));
            return this;
        }

        /** Stores the value encrypted (for passwords and tokens). */
        public Builder sensitive(boolean sensitive) {
            this.sensitive = sensitive;
            return this;
        }

        /** The field. */
        public SettingsField build() {
            return new SettingsField(id, title, type, defaultValue, description, placeholder, label, options,
                    sensitive);
        }
    }
}
