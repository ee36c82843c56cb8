package com.casarerpa.engine.value;

import java.time.Clock;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces variable references in node parameters, in one pass: {@code {{path}}} (canonical),
 * {@code ${path}} and {@code %path%} (legacy), where path is {@code name(.key|[i])*}. A text
 * that is exactly one reference becomes the raw value (a list stays a list); elsewhere the value
 * is inserted as text ({@link Values#text}). A reference to nothing is left as written. Maps and
 * lists are resolved item by item. A resolved value is never resolved again.
 */
public final class Interpolator {
    private static final String PATH = "\\$?[A-Za-z_][A-Za-z0-9_]*(?:\\.[A-Za-z0-9_]+|\\[\\d+])*";
    private static final String PLAIN_PATH = "[A-Za-z_][A-Za-z0-9_]*(?:\\.[A-Za-z0-9_]+|\\[\\d+])*";
    /** Group 1, 2 or 3 holds the path. */
    public static final Pattern REFERENCE = Pattern.compile(
            "\\{\\{\\s*(" + PATH + ")\\s*}}|\\$\\{\\s*(" + PATH + ")\\s*}|%(" + PLAIN_PATH + ")%");

    private final Variables variables;
    private final Clock clock;

    public Interpolator(Variables variables, Clock clock) {
        this.variables = variables;
        this.clock = clock;
    }

    public static String pathOf(Matcher m) {
        return m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
    }

    public Object resolve(Object value) {
        if (value instanceof String s) {
            return resolveString(s);
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(k, resolve(v)));
            return out;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            list.forEach(v -> out.add(resolve(v)));
            return out;
        }
        return value;
    }

    /** Like {@link #resolve} but always text. */
    public String resolveText(String s) {
        return Values.text(resolveString(s));
    }

    private Object resolveString(String s) {
        Matcher m = REFERENCE.matcher(s);
        String trimmed = s.strip();
        if (m.reset(trimmed).matches()) {
            Object v = lookup(pathOf(m));
            return v == Variables.MISSING ? s : v;
        }
        m.reset(s);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            Object v = lookup(pathOf(m));
            m.appendReplacement(out, Matcher.quoteReplacement(v == Variables.MISSING ? m.group() : Values.text(v)));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** A variable, a path into one, or a system variable ({@code $currentDate} ...); {@link Variables#MISSING} if none. */
    public Object lookup(String path) {
        if (path.startsWith("$") && !variables.has(path)) {
            LocalDateTime now = LocalDateTime.now(clock);
            return switch (path) {
                case "$currentDate" -> now.toLocalDate().toString();
                case "$currentTime" -> now.format(DateTimeFormatter.ofPattern("HH:mm:ss"));
                case "$currentDateTime" -> now.truncatedTo(ChronoUnit.SECONDS).toString();
                case "$timestamp" -> clock.instant().getEpochSecond();
                default -> Variables.MISSING;
            };
        }
        return variables.lookup(path);
    }
}
