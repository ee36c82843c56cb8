package com.casarerpa.engine.nodes;

import com.casarerpa.engine.node.Node;
import com.casarerpa.engine.node.NodeContext;
import com.casarerpa.engine.node.NodeFailure;
import com.casarerpa.engine.node.NodeResult;
import com.casarerpa.engine.value.Values;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Sets {@code variable_name} to the first of: port {@code value}, {@code config.value},
 * {@code config.default_value} (interpolated once), converted by {@code variable_type}.
 */
public final class SetVariableNode implements Node {
    @Override
    public NodeResult execute(NodeContext ctx) {
        String name = SetVariableNode.variableName(ctx);
        Object value = ctx.param("value");
        if (value == null) {
            value = ctx.param("default_value");
        }
        Object converted = convert(value, ctx.text("variable_type", "String"));
        ctx.variables().set(name, converted);
        return NodeResult.next(NodeResult.outputs("value", converted));
    }

    /** {@code variable_name}, required by every variable node. */
    static String variableName(NodeContext ctx) {
        String name = ctx.text("variable_name", "").trim();
        if (name.isEmpty()) {
            throw NodeFailure.config("Variable name is required");
        }
        return name;
    }

    static Object convert(Object value, String type) {
        if (value == null) {
            return null;
        }
        String text = Values.text(value).trim();
        return switch (type.toLowerCase(Locale.ROOT)) {
            case "boolean", "bool" -> value instanceof String ? Values.flag(text) : Values.truthy(value);
            case "int32", "int", "integer" -> number(value, text, type).longValue();
            case "float", "double" -> number(value, text, type).doubleValue();
            case "object", "dict" -> value instanceof Map<?, ?> ? value : asMap(parse(value, text, type));
            case "array", "list" -> value instanceof List<?> ? value : asList(value, text);
            case "datatable" -> value instanceof String ? parse(value, text, type) : value;
            default -> value;
        };
    }

    private static Number number(Object value, String text, String type) {
        Number n = Values.number(value instanceof String ? text : value);
        if (n == null) {
            throw NodeFailure.config("cannot convert '" + text + "' to " + type);
        }
        return n;
    }

    private static Object parse(Object value, String text, String type) {
        if (!(value instanceof String)) {
            return value;
        }
        try {
            return Values.json().readValue(text, Object.class);
        } catch (Exception e) {
            throw NodeFailure.config("cannot convert '" + text + "' to " + type + ": not JSON");
        }
    }

    private static Object asMap(Object parsed) {
        if (parsed instanceof Map<?, ?>) {
            return parsed;
        }
        Map<String, Object> wrapped = new LinkedHashMap<>();
        wrapped.put("value", parsed);
        return wrapped;
    }

    private static Object asList(Object value, String text) {
        if (value instanceof String) {
            try {
                Object parsed = Values.json().readValue(text, Object.class);
                return parsed instanceof List<?> ? parsed : new ArrayList<>(List.of(parsed));
            } catch (Exception notJson) {
                return text.isEmpty() ? new ArrayList<>() : new ArrayList<Object>(Arrays.stream(text.split(",")).map(String::trim).toList());
            }
        }
        return new ArrayList<>(List.of(value));
    }
}
