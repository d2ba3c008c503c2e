package org.harpjava.exapp.nextcloud;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A TaskProcessing provider, as AppAPI's {@code TaskProcessingService} validates it. Build it with
 * {@link #builder(String, String, String)}.
 *
 * @param id                            unique provider id, such as {@code myapp:llm}
 * @param name                          what admins see
 * @param taskType                      the task type it runs, such as {@code core:text2text}
 * @param expectedRuntime               expected seconds per task
 * @param optionalInputShape            extra input slots it accepts
 * @param optionalOutputShape           extra output slots it fills
 * @param inputShapeEnumValues          choices of enum input slots, by slot
 * @param inputShapeDefaults            defaults of input slots, by slot
 * @param optionalInputShapeEnumValues  choices of optional enum input slots, by slot
 * @param optionalInputShapeDefaults    defaults of optional input slots, by slot
 * @param outputShapeEnumValues         choices of enum output slots, by slot
 * @param optionalOutputShapeEnumValues choices of optional enum output slots, by slot
 */
public record TaskProcessingProvider(String id, String name, String taskType, int expectedRuntime,
                                     List<ShapeDescriptor> optionalInputShape,
                                     List<ShapeDescriptor> optionalOutputShape,
                                     Map<String, List<ShapeEnumValue>> inputShapeEnumValues,
                                     Map<String, JsonNode> inputShapeDefaults,
                                     Map<String, List<ShapeEnumValue>> optionalInputShapeEnumValues,
                                     Map<String, JsonNode> optionalInputShapeDefaults,
                                     Map<String, List<ShapeEnumValue>> outputShapeEnumValues,
                                     Map<String, List<ShapeEnumValue>> optionalOutputShapeEnumValues) {
    public TaskProcessingProvider {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(taskType, "taskType");
        if (expectedRuntime < 0) {
            throw new IllegalArgumentException("expectedRuntime must not be negative");
        }
        optionalInputShape = List.copyOf(optionalInputShape);
        optionalOutputShape = List.copyOf(optionalOutputShape);
        inputShapeEnumValues = Map.copyOf(inputShapeEnumValues);
        inputShapeDefaults = Map.copyOf(inputShapeDefaults);
        optionalInputShapeEnumValues = Map.copyOf(optionalInputShapeEnumValues);
        optionalInputShapeDefaults = Map.copyOf(optionalInputShapeDefaults);
        outputShapeEnumValues = Map.copyOf(outputShapeEnumValues);
        optionalOutputShapeEnumValues = Map.copyOf(optionalOutputShapeEnumValues);
    }

    /** A builder for provider {@code id} of {@code taskType}, shown as {@code name}. */
    public static Builder builder(String id, String name, String taskType) {
        return new Builder(id, name, taskType);
    }

    ObjectNode toJson() {
        ObjectNode o = Json.object().put("id", id).put("name", name).put("task_type", taskType)
                .put("expected_runtime", expectedRuntime);
        o.set("optional_input_shape", shapes(optionalInputShape));
        o.set("optional_output_shape", shapes(optionalOutputShape));
        o.set("input_shape_enum_values", enumValues(inputShapeEnumValues));
        o.set("input_shape_defaults", defaults(inputShapeDefaults));
        o.set("optional_input_shape_enum_values", enumValues(optionalInputShapeEnumValues));
        o.set("optional_input_shape_defaults", defaults(optionalInputShapeDefaults));
        o.set("output_shape_enum_values", enumValues(outputShapeEnumValues));
        o.set("optional_output_shape_enum_values", enumValues(optionalOutputShapeEnumValues));
        return o;
    }

    private static ArrayNode shapes(List<ShapeDescriptor> shapes) {
        ArrayNode a = Json.MAPPER.createArrayNode();
        shapes.forEach(s -> a.add(s.toJson()));
        return a;
    }

    private static ObjectNode enumValues(Map<String, List<ShapeEnumValue>> values) {
        ObjectNode o = Json.object();
        new java.util.TreeMap<>(values).forEach((slot, list) -> {
            ArrayNode a = o.putArray(slot);
            list.forEach(v -> a.addObject().put("name", v.name()).put("value", v.value()));
        });
        return o;
    }

    private static ObjectNode defaults(Map<String, JsonNode> values) {
        ObjectNode o = Json.object();
        new java.util.TreeMap<>(values).forEach(o::set);
        return o;
    }

    /** Builds a {@link TaskProcessingProvider}. */
    public static final class Builder {
        private final String id;
        private final String name;
        private final String taskType;
        private int expectedRuntime;
        private final List<ShapeDescriptor> optionalInputShape = new ArrayList<>();
        private final List<ShapeDescriptor> optionalOutputShape = new ArrayList<>();
        private final Map<String, List<ShapeEnumValue>> inputShapeEnumValues = new LinkedHashMap<>();
        private final Map<String, JsonNode> inputShapeDefaults = new LinkedHashMap<>();
        private final Map<String, List<ShapeEnumValue>> optionalInputShapeEnumValues = new LinkedHashMap<>();
        private final Map<String, JsonNode> optionalInputShapeDefaults = new LinkedHashMap<>();
        private final Map<String, List<ShapeEnumValue>> outputShapeEnumValues = new LinkedHashMap<>();
        private final Map<String, List<ShapeEnumValue>> optionalOutputShapeEnumValues = new LinkedHashMap<>();

        private Builder(String id, String name, String taskType) {
            this.id = id;
            this.name = name;
            this.taskType = taskType;
        }

        /** Expected seconds per task. */
        public Builder expectedRuntime(int seconds) {
            this.expectedRuntime = seconds;
            return this;
        }

        /** Adds an optional input slot. */
        public Builder optionalInput(ShapeDescriptor shape) {
            optionalInputShape.add(shape);
            return this;
        }

        /** Adds an optional output slot. */
        public Builder optionalOutput(ShapeDescriptor shape) {
            optionalOutputShape.add(shape);
            return this;
        }

        /** The choices of the enum input slot {@code slot}. */
        public Builder inputEnumValues(String slot, List<ShapeEnumValue> values) {
            inputShapeEnumValues.put(slot, List.copyOf(values));
            return this;
        }

        /** The default of input slot {@code slot} (a string, number, list or {@link JsonNode}). */
        public Builder inputDefault(String slot, Object value) {
            inputShapeDefaults.put(slot, Json.tree(value));
            return this;
        }

        /** The choices of the optional enum input slot {@code slot}. */
        public Builder optionalInputEnumValues(String slot, List<ShapeEnumValue> values) {
            optionalInputShapeEnumValues.put(slot, List.copyOf(values));
            return this;
        }

        /** The default of optional input slot {@code slot}. */
        public Builder optionalInputDefault(String slot, Object value) {
            optionalInputShapeDefaults.put(slot, Json.tree(value));
            return this;
        }

        /** The choices of the enum output slot {@code slot}. */
        public Builder outputEnumValues(String slot, List<ShapeEnumValue> values) {
            outputShapeEnumValues.put(slot, List.copyOf(values));
            return this;
        }

        /** The choices of the optional enum output slot {@code slot}. */
        public Builder optionalOutputEnumValues(String slot, List<ShapeEnumValue> values) {
            optionalOutputShapeEnumValues.put(slot, List.copyOf(values));
            return this;
        }

        /** The provider. */
        public TaskProcessingProvider build() {
            return new TaskProcessingProvider(id, name, taskType, expectedRuntime, optionalInputShape,
                    optionalOutputShape, inputShapeEnumValues, inputShapeDefaults, optionalInputShapeEnumValues,
                    optionalInputShapeDefaults, outputShapeEnumValues, optionalOutputShapeEnumValues);
        }
    }
}
