package com.casarerpa.engine.node;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a node produced: its output port values (stored as variable {@code <node id>} and fed to
 * data wires) and where execution goes next.
 */
public record NodeResult(Map<String, Object> outputs, Route route) {

    public NodeResult {
        outputs = outputs == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(outputs));
    }

    public static NodeResult next() {
        return new NodeResult(Map.of(), new Route.Default());
    }

    public static NodeResult next(Map<String, Object> outputs) {
        return new NodeResult(outputs, new Route.Default());
    }

    public static NodeResult to(String port) {
        return new NodeResult(Map.of(), new Route.Ports(List.of(port)));
    }

    public static NodeResult to(String port, Map<String, Object> outputs) {
        return new NodeResult(outputs, new Route.Ports(List.of(port)));
    }

    public static NodeResult end() {
        return new NodeResult(Map.of(), new Route.End());
    }

    public static NodeResult loopBack(String loopStartId) {
        return new NodeResult(Map.of(), new Route.LoopBack(loopStartId));
    }

    public static NodeResult enterTry() {
        return new NodeResult(Map.of(), new Route.EnterTry());
    }

    /** Outputs with null values left out (a null output is "not produced"). */
    public static Map<String, Object> outputs(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i + 1 < keysAndValues.length; i += 2) {
            if (keysAndValues[i + 1] != null) {
                map.put((String) keysAndValues[i], keysAndValues[i + 1]);
            }
        }
        return map;
    }
}
