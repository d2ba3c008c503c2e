package org.harpjava.exapp.nextcloud;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A declarative settings form. Values of an admin form are stored in the ExApp's app config, values of a personal
 * form in the user's preferences.
 *
 * @param id          unique id of the form
 * @param sectionType where the form appears
 * @param sectionId   the settings section, such as {@code ai} or the ExApp's own
 * @param title       the heading
 * @param description text under the heading; "" for none
 * @param docUrl      a documentation link; "" for none
 * @param priority    the order among forms of the section (lower first)
 * @param fields      the fields
 */
public record SettingsForm(String id, Section sectionType, String sectionId, String title, String description,
                           String docUrl, int priority, List<SettingsField> fields) {
    /** Which settings the form belongs to. */
    public enum Section {
        /** Administration settings; values go to the app config. */
        ADMIN("admin"),
        /** Personal settings; values go to the user's preferences. */
        PERSONAL("personal");

        private final String wire;

        Section(String wire) {
            this.wire = wire;
        }

        /** The name in the form scheme. */
        public String wireName() {
            return wire;
        }
    }

    public SettingsForm {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(sectionType, "sectionType");
        Objects.requireNonNull(sectionId, "sectionId");
        Objects.requireNonNull(title, "title");
        description = description == null ? "" : description;
        docUrl = docUrl == null ? "" : docUrl;
        fields = List.copyOf(fields);
    }

    /** A builder for a form; it is personal with priority 50 unless told otherwise. */
    public static Builder builder(String id, String sectionId, String title) {
        return new Builder(id, sectionId, title);
    }

    /** The {@code formScheme} AppAPI expects. */
    ObjectNode toJson() {
        ObjectNode o = Json.object().put("id", id).put("priority", priority)
                .put("section_type", sectionType.wireName()).put("section_id", sectionId).put("title", title)
                .put("description", description).put("doc_url", docUrl);
        ArrayNode a = o.putArray("fields");
        fields.forEach(f -> a.add(f.toJson()));
        return o;
    }

    /** Builds a {@link SettingsForm}. */
    public static final class Builder {
        private final String id;
        private final String sectionId;
        private final String title;
        private Section section = Section.PERSONAL;
        private String description = "";
        private String docUrl = "";
        private int priority = 50;
        private final List<SettingsField> fields = new ArrayList<>();

        private Builder(String id, String sectionId, String title) {
            this.id = id;
            this.sectionId = sectionId;
            this.title = title;
        }

        /** Admin or personal settings. */
        public Builder section(Section section) {
            this.section = section;
            return this;
        }

        /** Text under the heading. */
        public Builder description(String description) {
            this.description = description;
            return this;
        }

        /** A documentation link. */
        public Builder docUrl(String docUrl) {
            this.docUrl = docUrl;
            return this;
        }

        /** The order among forms of the section. */
        public Builder priority(int priority) {
            this.priority = priority;
            return this;
        }

        /** Adds a field. */
        public Builder field(SettingsField field) {
            fields.add(field);
            return this;
        }

        /** The form. */
        public SettingsForm build() {
            return new SettingsForm(id, section, sectionId, title, description, docUrl, priority, fields);
        }
    }
}
