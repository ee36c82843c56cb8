package com.casarerpa.orchestrator.domain;

/**
 * One reason a workflow definition is refused.
 *
 * @param path    where, as a JSON path relative to the definition: {@code nodes.start.node_type},
 *                {@code connections[2].target_node}; empty for the definition itself
 * @param message what is wrong, for people
 */
public record WorkflowProblem(String path, String message) {

    /** {@code path: message}, or just the message at the root. */
    public String describe() {
        return path.isEmpty() ? message : path + ": " + message;
    }

    /** The path under a prefix: {@code workflow_data} + {@code nodes.a} = {@code workflow_data.nodes.a}. */
    public String pathUnder(String prefix) {
        if (prefix.isEmpty()) {
            return path;
        }
        return path.isEmpty() ? prefix : path.startsWith("[") ? prefix + path : prefix + "." + path;
    }
}
