package com.casarerpa.orchestrator.ws;

import com.casarerpa.orchestrator.workflow.StorableText;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The fields of one incoming JSON object, read with the protocol's conventions: {@code null} is
 * the same as absent, unknown fields are ignored, and a wrong field is a {@link ProtocolError}
 * naming its JSON path ({@code prefix} + name). Strings must be text the database can hold
 * ({@link StorableText}).
 */
final class Fields {
    private final JsonNode node;
    private final String prefix;

    Fields(JsonNode node, String prefix) {
        this.node = node;
        this.prefix = prefix;
    }

    static Fields of(JsonNode node) {
        return new Fields(node, "");
    }

    String path(String name) {
        return prefix + name;
    }

    private Optional<JsonNode> value(String name) {
        JsonNode v = node.get(name);
        return v == null || v.isNull() ? Optional.empty() : Optional.of(v);
    }

    Optional<String> string(String name, int max) {
        Optional<JsonNode> v = value(name);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        if (!v.get().isTextual()) {
            throw ProtocolError.invalid(path(name), "expected a string, got " + v.get());
        }
        String s = v.get().asText();
        if (s.isEmpty() || s.length() > max) {
            throw ProtocolError.invalid(path(name), "expected 1 to " + max + " characters, got " + s.length());
        }
        storable(path(name), s);
        return Optional.of(s);
    }

    String requiredString(String name, int max) {
        return string(name, max).orElseThrow(() -> ProtocolError.invalid(path(name), "is required"));
    }

    Optional<Long> integer(String name, long min, long max) {
        Optional<JsonNode> v = value(name);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        if (!v.get().isIntegralNumber() || v.get().asLong() < min || v.get().asLong() > max) {
            throw ProtocolError.invalid(path(name), "expected an integer from " + min + " to " + max + ", got " + v.get());
        }
        return Optional.of(v.get().asLong());
    }

    long requiredInteger(String name, long min, long max) {
        return integer(name, min, max).orElseThrow(() -> ProtocolError.invalid(path(name), "is required"));
    }

    Optional<Double> number(String name, double min, double max) {
        Optional<JsonNode> v = value(name);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        if (!v.get().isNumber() || v.get().asDouble() < min || v.get().asDouble() > max) {
            throw ProtocolError.invalid(path(name), "expected a number from " + (long) min + " to " + (long) max + ", got " + v.get());
        }
        return Optional.of(v.get().asDouble());
    }

    Optional<Boolean> bool(String name) {
        Optional<JsonNode> v = value(name);
        if (v.isPresent() && !v.get().isBoolean()) {
            throw ProtocolError.invalid(path(name), "expected true or false, got " + v.get());
        }
        return v.map(JsonNode::asBoolean);
    }

    String oneOf(String name, List<String> allowed) {
        String s = requiredString(name, 100);
        if (!allowed.contains(s)) {
            throw ProtocolError.invalid(path(name), "expected one of " + String.join(", ", allowed) + ", got \"" + s + "\"");
        }
        return s;
    }

    Instant time(String name) {
        String s = requiredString(name, 64);
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            throw ProtocolError.invalid(path(name), "expected an ISO-8601 UTC time such as 2026-11-27T09:00:00.123Z, got \"" + s + "\"");
        }
    }

    Optional<Fields> object(String name) {
        Optional<JsonNode> v = value(name);
        if (v.isPresent() && !v.get().isObject()) {
            throw ProtocolError.invalid(path(name), "expected an object, got " + v.get().getNodeType().name().toLowerCase());
        }
        return v.map(o -> new Fields(o, path(name) + "."));
    }

    JsonNode raw(String name) {
        return value(name).orElse(null);
    }

    /** The items of an array field, each as the fields of an object. */
    Optional<List<Fields>> objects(String name, int maxItems) {
        Optional<JsonNode> v = value(name);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        JsonNode array = array(name, v.get(), maxItems);
        List<Fields> out = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            if (!array.get(i).isObject()) {
                throw ProtocolError.invalid(path(name) + "[" + i + "]", "expected an object");
            }
            out.add(new Fields(array.get(i), path(name) + "[" + i + "]."));
        }
        return Optional.of(out);
    }

    Optional<List<String>> strings(String name, int maxItems, int maxLength) {
        Optional<JsonNode> v = value(name);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        JsonNode array = array(name, v.get(), maxItems);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            JsonNode item = array.get(i);
            if (!item.isTextual() || item.asText().isEmpty() || item.asText().length() > maxLength) {
                throw ProtocolError.invalid(path(name) + "[" + i + "]", "expected a string of 1 to " + maxLength + " characters");
            }
            storable(path(name) + "[" + i + "]", item.asText());
            out.add(item.asText());
        }
        return Optional.of(out);
    }

    /** Text the database cannot hold (NUL, an unpaired surrogate) is refused here as on REST. */
    private static void storable(String path, String text) {
        StorableText.problem(text).ifPresent(problem -> {
            throw ProtocolError.invalid(path, problem);
        });
    }

    private JsonNode array(String name, JsonNode v, int maxItems) {
        if (!v.isArray()) {
            throw ProtocolError.invalid(path(name), "expected an array");
        }
        if (v.size() > maxItems) {
            throw ProtocolError.invalid(path(name), "at most " + maxItems + " items, got " + v.size());
        }
        return v;
    }
}
