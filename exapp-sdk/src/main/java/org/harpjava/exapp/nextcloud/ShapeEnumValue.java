package org.harpjava.exapp.nextcloud;

import java.util.Objects;

/**
 * A choice of an {@link ShapeType#ENUM} slot.
 *
 * @param name  what users see
 * @param value what the task receives
 */
public record ShapeEnumValue(String name, String value) {
    public ShapeEnumValue {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
    }
}
