package com.casarerpa.engine.value;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The variables of one run, and beside them the outputs of the nodes that ran, by node id, so
 * that {@code {{id.port}}} reads them; a variable of the same name as a node id wins. Safe to
 * use from the node's thread and the run's thread.
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
    private final Map<String, Object> outputs = Collections.synchronizedMap(new LinkedHashMap<>());

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

    /** Records the outputs of node {@code nodeId} (replacing those of its previous pass). */
    public void setOutputs(String nodeId, Map<String, Object> ports) {
        outputs.put(nodeId, Collections.unmodifiableMap(new LinkedHashMap<>(ports)));
    }

    /** Node outputs by node id. */
    public Map<String, Object> outputs() {
        synchronized (outputs) {
            return new LinkedHashMap<>(outputs);
        }
    }

    /** The variables (not the node outputs). */
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
        if (steps.isEmpty()) {
            return MISSING;
        }
        String name = steps.get(0);
        if (has(name)) {
            return ValuePath.walk(get(name), steps.subList(1, steps.size()));
        }
        Object ports = outputs.get(name);
        return ports == null ? MISSING : ValuePath.walk(ports, steps.subList(1, steps.size()));
    }
}
