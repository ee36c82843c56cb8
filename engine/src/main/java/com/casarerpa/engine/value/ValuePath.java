package com.casarerpa.engine.value;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Paths like {@code a.b[0].c}: a name, then {@code .key} and {@code [index]} steps. */
final class ValuePath {
    private static final Pattern STEP = Pattern.compile("\\.([A-Za-z0-9_]+)|\\[(\\d+)]");

    private ValuePath() {}

    /** The name, then each step; a list index step is kept as {@code [n]}. Empty if malformed. */
    static List<String> split(String path) {
        int first = indexOfStep(path);
        List<String> steps = new ArrayList<>();
        steps.add(path.substring(0, first));
        Matcher m = STEP.matcher(path);
        int at = first;
        while (at < path.length()) {
            if (!m.find(at) || m.start() != at) {
                return List.of();
            }
            steps.add(m.group(1) != null ? m.group(1) : "[" + m.group(2) + "]");
            at = m.end();
        }
        return steps;
    }

    private static int indexOfStep(String path) {
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '.' || c == '[') {
                return i;
            }
        }
        return path.length();
    }

    static Object walk(Object value, List<String> steps) {
        Object current = value;
        for (String step : steps) {
            if (step.startsWith("[")) {
                int index = Integer.parseInt(step.substring(1, step.length() - 1));
                if (!(current instanceof List<?> list) || index >= list.size()) {
                    return Variables.MISSING;
                }
                current = list.get(index);
            } else if (current instanceof Map<?, ?> map && map.containsKey(step)) {
                current = map.get(step);
            } else {
                return Variables.MISSING;
            }
        }
        return current;
    }
}
