package org.harpjava.exapp.nextcloud;

/** The field types of a Nextcloud declarative settings form. */
public enum SettingsFieldType {
    /** A text input. */
    TEXT("text"),
    /** A password input. */
    PASSWORD("password"),
    /** An e-mail input. */
    EMAIL("email"),
    /** A telephone number input. */
    TEL("tel"),
    /** A URL input. */
    URL("url"),
    /** A number input. */
    NUMBER("number"),
    /** One checkbox. */
    CHECKBOX("checkbox"),
    /** Several checkboxes saved as one JSON object value. */
    MULTI_CHECKBOX("multi-checkbox"),
    /** Radio buttons. */
    RADIO("radio"),
    /** A drop-down list. */
    SELECT("select"),
    /** A multiple-choice drop-down list saved as one JSON array value. */
    MULTI_SELECT("multi-select");

    private final String wire;

    SettingsFieldType(String wire) {
        this.wire = wire;
    }

    /** The name in the form scheme. */
    public String wireName() {
        return wire;
    }

    /** Whether fields of this type choose among options. */
    public boolean hasOptions() {
        return this == MULTI_CHECKBOX || this == RADIO || this == SELECT || this == MULTI_SELECT;
    }
}
