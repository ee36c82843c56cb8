package com.casarerpa.orchestrator.service;

import com.casarerpa.common.secrets.SensitiveNames;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Hides secret values in what the orchestrator shows (docs/workflows.md, "Sensitive values"), by
 * the engine's rule: a variable is sensitive when the workflow declares it {@code "sensitive": true}
 * or when its name looks secret ({@link SensitiveNames}). A hidden value is shown as
 * {@value SensitiveNames#MASK}; null and empty values stay as they are (there is nothing to hide,
 * and seeing that a secret is unset helps). Inputs are never changed: every method answers a copy.
 */
public final class SensitiveValues {
    private static final TextNode MASK = TextNode.valueOf(SensitiveNames.MASK);

    private SensitiveValues() {}

    /** A definition as shown, and the names of the variables whose values were hidden (in order). */
    public record MaskedDefinition(JsonNode json, List<String> maskedVariables) {}

    /**
     * The definition with the value ({@code default_value}, {@code value}, or the plain value) of
     * each sensitive entry of its {@code variables} block hidden, and within the other values
     * whatever sits under a secret-looking key. Everything else is kept verbatim.
     */
    public static MaskedDefinition definition(JsonNode definition) {
        JsonNode variables = definition.path("variables");
        if (!variables.isObject()) {
            return new MaskedDefinition(definition, List.of());
        }
        ObjectNode copy = (ObjectNode) definition.deepCopy();
        ObjectNode block = (ObjectNode) copy.get("variables");
        List<String> masked = new ArrayList<>();
        for (String name : names(block)) {
            JsonNode v = block.get(name);
            boolean sensitive = SensitiveNames.looksSecret(name) || isDeclaration(v) && declaredSensitive(v);
            JsonNode shown = isDeclaration(v) ? declarationShown((ObjectNode) v, sensitive) : sensitive && hasValue(v) ? MASK : byName(v);
            if (!shown.equals(v)) {
                block.set(name, shown);
                masked.add(name);
            }
        }
        return new MaskedDefinition(masked.isEmpty() ? definition : copy, List.copyOf(masked));
    }

    private static JsonNode declarationShown(ObjectNode declaration, boolean sensitive) {
        ObjectNode out = declaration.deepCopy();
        for (String field : List.of("default_value", "value")) {
            JsonNode v = declaration.get(field);
            if (v != null) {
                out.set(field, sensitive && hasValue(v) ? MASK : byName(v));
            }
        }
        return out;
    }

    /** The names the definition's {@code variables} block declares {@code "sensitive": true}. */
    public static Set<String> declared(JsonNode definition) {
        Set<String> names = new LinkedHashSet<>();
        definition.path("variables").fields().forEachRemaining(e -> {
            if (isDeclaration(e.getValue()) && declaredSensitive(e.getValue())) {
                names.add(e.getKey());
            }
        });
        return Set.copyOf(names);
    }

    /**
     * Job variables as shown: the value of each top-level name in {@code declared} or looking
     * secret is hidden, and so is the value under a secret-looking key at any depth (a
     * {@code credentials} object's {@code password}), as the engine does with final variables.
     */
    public static JsonNode variables(JsonNode variables, Set<String> declared) {
        if (!(variables instanceof ObjectNode given)) {
            return byName(variables);
        }
        ObjectNode out = given.objectNode();
        for (String name : names(given)) {
            JsonNode v = given.get(name);
            boolean hide = (declared.contains(name) || SensitiveNames.looksSecret(name)) && hasValue(v);
            out.set(name, hide ? MASK : byName(v));
        }
        return out;
    }

    /** A job's result as shown: its {@code variables} (the final ones) as {@link #variables}, other keys by name. */
    public static JsonNode result(JsonNode result, Set<String> declared) {
        if (result == null || !result.isObject() || !result.path("variables").isObject()) {
            return byName(result);
        }
        ObjectNode out = (ObjectNode) byName(result);
        out.set("variables", variables(result.get("variables"), declared));
        return out;
    }

    /** A copy with the value under every secret-looking key, at any depth, hidden. */
    private static JsonNode byName(JsonNode node) {
        if (node instanceof ObjectNode object) {
            ObjectNode out = object.objectNode();
            for (String name : names(object)) {
                JsonNode v = object.get(name);
                out.set(name, SensitiveNames.looksSecret(name) && hasValue(v) ? MASK : byName(v));
            }
            return out;
        }
        if (node instanceof ArrayNode array) {
            ArrayNode out = array.arrayNode();
            array.forEach(item -> out.add(byName(item)));
            return out;
        }
        return node;
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** The engine's test for a declaration ({@code {"type":…,"default_value":…,"sensitive":…}}) rather than a plain value. */
    private static boolean isDeclaration(JsonNode v) {
        return v.isObject() && (v.has("default_value") || v.has("value") || v.has("type") || v.has("sensitive"));
    }

    /** As the engine reads the flag: {@code true} or the text {@code "true"}. */
    private static boolean declaredSensitive(JsonNode declaration) {
        return declaration.path("sensitive").asBoolean(false);
    }

    private static boolean hasValue(JsonNode v) {
        return v != null && !v.isNull() && !(v.isTextual() && v.asText().isEmpty());
    }
}
