package com.casarerpa.engine.value;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The variables of one run. A node's outputs are stored under its id, so {@code {{id.port}}}
 * reads them. Safe to use from the node's thread and the run's thread.
 */
public final class Variables {
    /** What {@link #lookup} returns for a reference that names nothing (a stored null is {@code null}). */
    public static final Object MISSING = new Object() {
        @Override
        public String toString() {
            return "<missing>";
        }
    };

    private final Map<String, Object> values = Collections.synchronizedMap(new LinkedHashMap<>());

    public Object get(String name) {
        return values.get(name);
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    public void set(String name, Object value) {
        values.put(name, value);
    }

    public void remove(String name) {
        values.remove(name);
    }

    public Map<String, Object> snapshot() {
        synchronized (values) {
            return new LinkedHashMap<>(values);
        }
    }

    /**
     * Resolves {@code a.b[0].c}: the whole text is tried first as a variable name, then the path
     * is walked ({@code .key} into maps, {@code [i]} into lists). {@link #MISSING} when any step fails.
     */
    public Object lookup(String path) {
        synchronized (values) {
            if (values.containsKey(path)) {
                return values.get(path);
            }
        }
        List<String> steps = ValuePath.split(path);
        if (steps.isEmpty() || !has(steps.get(0))) {
            return MISSING;
        }
        return ValuePath.walk(get(steps.get(0)), steps.subList(1, steps.size()));
    }
}
