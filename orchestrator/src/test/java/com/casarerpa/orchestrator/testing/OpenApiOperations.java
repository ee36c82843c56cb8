package com.casarerpa.orchestrator.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The inputs each operation of an OpenAPI document declares: path and query parameters, the
 * top-level fields of its JSON body, and an example body when the document gives one. Read from
 * the document the server serves, so a test over them covers routes added later without edits.
 * Only the forms our document uses are understood: local {@code $ref}s, {@code allOf}.
 */
public final class OpenApiOperations {
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch");

    private OpenApiOperations() {}

    /**
     * One operation and its declared inputs.
     *
     * @param access      its {@code x-casare-access}
     * @param exampleBody the document's example of its body ({@code {}} when none)
     */
    public record Operation(String method, String path, String access, List<String> pathParams, List<String> queryParams,
            List<String> bodyFields, ObjectNode exampleBody) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    /** Every operation of {@code document}, in document order. */
    public static List<Operation> of(JsonNode document) {
        List<Operation> out = new ArrayList<>();
        document.path("paths").properties().forEach(path -> {
            JsonNode pathItem = path.getValue();
            pathItem.properties().forEach(entry -> {
                if (!METHODS.contains(entry.getKey())) {
                    return;
                }
                JsonNode op = entry.getValue();
                Set<String> pathParams = new LinkedHashSet<>();
                Set<String> queryParams = new LinkedHashSet<>();
                for (JsonNode list : List.of(pathItem.path("parameters"), op.path("parameters"))) {
                    for (JsonNode p : list) {
                        JsonNode param = resolve(document, p);
                        switch (param.path("in").asText()) {
                            case "path" -> pathParams.add(param.path("name").asText());
                            case "query" -> queryParams.add(param.path("name").asText());
                            default -> { } // headers are not fuzzed here
                        }
                    }
                }
                JsonNode media = op.path("requestBody").path("content").path("application/json");
                Set<String> fields = new LinkedHashSet<>();
                collectFields(document, media.path("schema"), fields);
                out.add(new Operation(entry.getKey().toUpperCase(Locale.ROOT), path.getKey(),
                        op.path("x-casare-access").asText(), List.copyOf(pathParams), List.copyOf(queryParams),
                        List.copyOf(fields), example(document, media)));
            });
        });
        return out;
    }

    /**
     * The schema of the value at {@code pointer} in {@code op}'s JSON body ({@code ""} for the body,
     * {@code /principal}, {@code /bindings/0}); a missing node where the document says nothing.
     */
    public static JsonNode bodySchemaAt(JsonNode document, Operation op, String pointer) {
        JsonNode schema = document.path("paths").path(op.path()).path(op.method().toLowerCase(Locale.ROOT))
                .path("requestBody").path("content").path("application/json").path("schema");
        for (String step : pointer.isEmpty() ? new String[0] : pointer.substring(1).split("/")) {
            JsonNode s = resolve(document, schema);
            schema = step.matches("\\d+") && s.has("items") ? s.path("items") : property(document, s, step);
        }
        return resolve(document, schema);
    }

    /** True when {@code schema} is an object with named fields and no others (not a free-form map such as a job's variables). */
    public static boolean namesAllFields(JsonNode document, JsonNode schema) {
        Set<String> fields = new LinkedHashSet<>();
        collectFields(document, schema, fields);
        JsonNode others = schema.path("additionalProperties");
        return !fields.isEmpty() && !others.isObject() && !others.asBoolean(false);
    }

    private static JsonNode property(JsonNode document, JsonNode schema, String name) {
        if (schema.path("properties").has(name)) {
            return schema.path("properties").path(name);
        }
        for (JsonNode part : schema.path("allOf")) {
            JsonNode found = property(document, resolve(document, part), name);
            if (!found.isMissingNode()) {
                return found;
            }
        }
        return MissingNode.getInstance();
    }

    private static void collectFields(JsonNode document, JsonNode schema, Set<String> fields) {
        JsonNode s = resolve(document, schema);
        s.path("properties").fieldNames().forEachRemaining(fields::add);
        for (JsonNode part : s.path("allOf")) {
            collectFields(document, part, fields);
        }
    }

    private static ObjectNode example(JsonNode document, JsonNode media) {
        JsonNode example = media.path("example");
        if (!example.isObject() && media.path("examples").isObject() && !media.path("examples").isEmpty()) {
            example = media.path("examples").elements().next().path("value");
        }
        if (!example.isObject()) {
            example = resolve(document, media.path("schema")).path("example");
        }
        return example.isObject() ? ((ObjectNode) example).deepCopy() : JsonNodeFactory.instance.objectNode();
    }

    /** The node a local {@code $ref} points to, or {@code node} itself. */
    private static JsonNode resolve(JsonNode document, JsonNode node) {
        JsonNode ref = node.path("$ref");
        return ref.isTextual() && ref.asText().startsWith("#") ? resolve(document, document.at(ref.asText().substring(1))) : node;
    }
}
