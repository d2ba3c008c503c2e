package org.harpjava.exapp.nextcloud;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Objects;

/**
 * One input or output slot of a task type.
 *
 * @param name        the slot's key in the task's input or output
 * @param description what users see
 * @param shapeType   what the slot holds
 */
public record ShapeDescriptor(String name, String description, ShapeType shapeType) {
    public ShapeDescriptor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(shapeType, "shapeType");
        description = description == null ? "" : description;
    }

    ObjectNode toJson() {
        return Json.object().put("name", name).put("description", description).put("shape_type", shapeType.code());
    }
}
