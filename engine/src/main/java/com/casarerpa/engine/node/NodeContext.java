package com.casarerpa.engine.node;

import com.casarerpa.engine.EngineSettings;
import com.casarerpa.engine.LogLevel;
import com.casarerpa.engine.value.Values;
import com.casarerpa.engine.value.Variables;
import java.util.Map;

/** What a node sees of its run while it executes. */
public interface NodeContext {

    String runId();

    String nodeId();

    String nodeType();

    /**
     * The value of parameter {@code name}: the value on the connected input port of that name
     * if one arrived, else {@code config[name]}; interpolated once ({@code {{var}}} ...). Null if neither.
     */
    Object param(String name);

    /** The value that arrived on input port {@code name} over a data wire, as it came, or {@code null}. */
    Object input(String name);

    /** {@code config[name]} as written, not interpolated. */
    Object rawConfig(String name);

    /** The node's whole config, as written. */
    Map<String, Object> config();

    Variables variables();

    /** Evaluates a condition in the sandboxed expression language over the variables. */
    Object evaluate(String expression);

    void log(LogLevel level, String message);

    EngineSettings settings();

    Flow flow();

    default boolean has(String name) {
        return param(name) != null;
    }

    /** The parameter as text, or {@code fallback} when absent. */
    default String text(String name, String fallback) {
        Object v = param(name);
        return v == null ? fallback : Values.text(v);
    }

    /** The parameter as text; fails the node when absent or blank. */
    default String requiredText(String name) {
        String v = text(name, "");
        if (v.isBlank()) {
            throw NodeFailure.config(nodeType() + " '" + nodeId() + "' needs '" + name + "' (config or input port)");
        }
        return v;
    }

    /** The parameter as a number (numeric text accepted), {@code fallback} when absent or empty. */
    default Number number(String name, Number fallback) {
        Object v = param(name);
        if (v == null || "".equals(v)) {
            return fallback;
        }
        Number n = Values.number(v);
        if (n == null) {
            throw NodeFailure.config(nodeType() + " '" + nodeId() + "': '" + name + "' must be a number, got '" + Values.text(v) + "'");
        }
        return n;
    }

    /** The parameter as a boolean ("true", "1", "yes", "on" are true), {@code fallback} when absent. */
    default boolean flag(String name, boolean fallback) {
        Object v = param(name);
        return v == null || "".equals(v) ? fallback : Values.flag(v);
    }
}
