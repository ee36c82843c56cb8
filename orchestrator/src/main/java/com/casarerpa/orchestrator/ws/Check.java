package com.casarerpa.orchestrator.ws;

import com.casarerpa.orchestrator.workflow.StorableText;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The protocol's rules for the values of a robot message, checked on its record once
 * {@link Incoming} has decoded it: {@code null} is the same as absent, and a wrong value is a
 * {@link ProtocolError} naming its JSON path ({@code entries[3].message}). Strings must be text
 * the database can hold ({@link StorableText}). The ranges of the numbers and the lengths of the
 * strings in lists are kept here by path, so that a value of the wrong JSON type is refused in
 * the same words as one out of range ({@link #wrongType}).
 */
final class Check {
    /** By JSON path, any index written {@code []}; a path means the same field in every message type. */
    private static final Map<String, Range> NUMBERS = Map.ofEntries(
            Map.entry("protocol_version", Range.integer(1, Integer.MAX_VALUE)),
            Map.entry("min_protocol_version", Range.integer(1, Integer.MAX_VALUE)),
            Map.entry("max_concurrent_jobs", Range.integer(1, 256)),
            Map.entry("cpu_percent", Range.number(0, 100)),
            Map.entry("memory_percent", Range.number(0, 100)),
            Map.entry("memory_mb", Range.integer(0, Long.MAX_VALUE)),
            Map.entry("percent", Range.number(0, 100)),
            Map.entry("executed_nodes", Range.integer(0, Integer.MAX_VALUE)),
            Map.entry("entries[].seq", Range.integer(1, Long.MAX_VALUE)),
            // Any integer here: RobotJobs decides which lease lengths it takes, as on REST.
            Map.entry("extension_seconds", Range.integer(Long.MIN_VALUE, Long.MAX_VALUE)),
            Map.entry("result.executed_nodes", Range.integer(0, Long.MAX_VALUE)),
            Map.entry("result.duration_ms", Range.integer(0, Long.MAX_VALUE)));
    /** The longest string each list of strings may hold. */
    private static final Map<String, Integer> LISTED_STRINGS = Map.of("capabilities", 100, "node_types", 200, "tags", 100);
    private static final Pattern INDEX = Pattern.compile("\\[\\d+]");

    private Check() {}

    private record Range(String kind, long min, long max) {
        static Range integer(long min, long max) {
            return new Range("an integer", min, max);
        }

        static Range number(long min, long max) {
            return new Range("a number", min, max);
        }

        String expected() {
            return "expected " + kind + " from " + min + " to " + max;
        }
    }

    static Optional<String> text(String path, String value, int max) {
        if (value == null) {
            return Optional.empty();
        }
        if (value.isEmpty() || value.length() > max) {
            throw ProtocolError.invalid(path, "expected 1 to " + max + " characters, got " + value.length());
        }
        storable(path, value);
        return Optional.of(value);
    }

    static String requiredText(String path, String value, int max) {
        return text(path, value, max).orElseThrow(() -> missing(path));
    }

    /** An integer ({@code Integer} or {@code Long}) in the range {@link #NUMBERS} gives its path. */
    static Optional<Long> integer(String path, Number value) {
        if (value == null) {
            return Optional.empty();
        }
        Range range = range(path);
        if (value.longValue() < range.min() || value.longValue() > range.max()) {
            throw ProtocolError.invalid(path, range.expected() + ", got " + value);
        }
        return Optional.of(value.longValue());
    }

    static long requiredInteger(String path, Number value) {
        return integer(path, value).orElseThrow(() -> missing(path));
    }

    /** A number in the range {@link #NUMBERS} gives its path. */
    static Optional<Double> number(String path, Double value) {
        if (value == null) {
            return Optional.empty();
        }
        Range range = range(path);
        if (value < range.min() || value > range.max()) {
            // -1 rather than -1.0: as the robot most likely wrote it.
            String shown = value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString(value.longValue()) : value.toString();
            throw ProtocolError.invalid(path, range.expected() + ", got " + shown);
        }
        return Optional.of(value);
    }

    /** An object (or any value) that must be there. */
    static <T> T required(String path, T value) {
        if (value == null) {
            throw missing(path);
        }
        return value;
    }

    static String oneOf(String path, String value, List<String> allowed) {
        String s = requiredText(path, value, 100);
        if (!allowed.contains(s)) {
            throw ProtocolError.invalid(path, "expected one of " + String.join(", ", allowed) + ", got \"" + s + "\"");
        }
        return s;
    }

    static Instant time(String path, String value) {
        String s = requiredText(path, value, 64);
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            throw ProtocolError.invalid(path, "expected an ISO-8601 UTC time such as 2026-11-27T09:00:00.123Z, got \"" + s + "\"");
        }
    }

    /** A list of objects: at most {@code maxItems}, none of them {@code null}. */
    static <T> Optional<List<T>> objects(String path, List<T> items, int maxItems) {
        if (items == null) {
            return Optional.empty();
        }
        size(path, items, maxItems);
        for (int i = 0; i < items.size(); i++) {
            if (items.get(i) == null) {
                throw ProtocolError.invalid(item(path, i), "expected an object");
            }
        }
        return Optional.of(items);
    }

    /** A list of strings, each as long as {@link #LISTED_STRINGS} allows for its path. */
    static Optional<List<String>> strings(String path, List<String> items, int maxItems) {
        if (items == null) {
            return Optional.empty();
        }
        size(path, items, maxItems);
        int maxLength = LISTED_STRINGS.get(path);
        for (int i = 0; i < items.size(); i++) {
            String s = items.get(i);
            if (s == null || s.isEmpty() || s.length() > maxLength) {
                throw ProtocolError.invalid(item(path, i), listedString(maxLength));
            }
            storable(item(path, i), s);
        }
        return Optional.of(items);
    }

    /** The path of a list's item, or of a field of it: {@code item("jobs", 3, "job_id")} is {@code jobs[3].job_id}. */
    static String item(String list, int index, String... field) {
        return list + "[" + index + "]" + (field.length == 0 ? "" : "." + String.join(".", field));
    }

    /**
     * What a value of the wrong JSON type is told, in the words of the check it could not reach.
     *
     * @param path   its JSON path
     * @param got    the value as sent
     * @param target the Java type it was to be read as; {@code null} when not known
     */
    static String wrongType(String path, JsonNode got, Class<?> target) {
        String pattern = pattern(path);
        Range range = NUMBERS.get(pattern);
        if (range != null) {
            return range.expected() + ", got " + got;
        }
        boolean item = pattern.endsWith("[]");
        Integer listed = item ? LISTED_STRINGS.get(pattern.substring(0, pattern.length() - 2)) : null;
        if (listed != null) {
            return listedString(listed);
        }
        if (target == String.class) {
            return "expected a string, got " + got;
        }
        if (target == Boolean.class) {
            return "expected true or false, got " + got;
        }
        if (target != null && Collection.class.isAssignableFrom(target)) {
            return "expected an array";
        }
        if (target != null && target.isRecord()) {
            return item ? "expected an object" : "expected an object, got " + got.getNodeType().name().toLowerCase(Locale.ROOT);
        }
        return "a value of another JSON type was expected, got " + got;
    }

    private static String listedString(int maxLength) {
        return "expected a string of 1 to " + maxLength + " characters";
    }

    /** The path with any index written {@code []}: {@code entries[3].seq} is {@code entries[].seq}. */
    private static String pattern(String path) {
        return path.indexOf('[') < 0 ? path : INDEX.matcher(path).replaceAll("[]");
    }

    private static Range range(String path) {
        Range range = NUMBERS.get(pattern(path));
        if (range == null) {
            throw new IllegalArgumentException("no range for the number at " + path);
        }
        return range;
    }

    private static void size(String path, Collection<?> items, int maxItems) {
        if (items.size() > maxItems) {
            throw ProtocolError.invalid(path, "at most " + maxItems + " items, got " + items.size());
        }
    }

    private static ProtocolError missing(String path) {
        return ProtocolError.invalid(path, "is required");
    }

    /** Text the database cannot hold (NUL, an unpaired surrogate) is refused here as on REST. */
    private static void storable(String path, String text) {
        StorableText.problem(text).ifPresent(problem -> {
            throw ProtocolError.invalid(path, problem);
        });
    }
}
