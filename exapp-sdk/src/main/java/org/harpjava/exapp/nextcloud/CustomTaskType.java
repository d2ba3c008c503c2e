package org.harpjava.exapp.nextcloud;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Objects;

/**
 * A task type the ExApp defines itself, registered together with its provider.
 *
 * @param id          the task type id; the provider's task type must equal it
 * @param name        what users see
 * @param description what it does
 * @param inputShape  the input slots
 * @param outputShape the output slots
 */
public record CustomTaskType(String id, String name, String description, List<ShapeDescriptor> inputShape,
                             List<ShapeDescriptor> outputShape) {
    public CustomTaskType {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        description = description == null ? "" : description;
        inputShape = List.copyOf(inputShape);
        outputShape = List.copyOf(outputShape);
    }

    ObjectNode toJson() {
        ObjectNode o = Json.object().put("id", id).put("name", name).put("description", description);
        ArrayNode in = o.putArray("input_shape");
        inputShape.forEach(s -> in.add(s.toJson()));
        ArrayNode out = o.putArray("output_shape");
        outputShape.forEach(s -> out.add(s.toJson()));
        return o;
    }
}
