package com.casarerpa.orchestrator.workflow;

import com.casarerpa.orchestrator.domain.ExecutionFlow;
import com.casarerpa.orchestrator.domain.WorkflowLimits;
import com.casarerpa.orchestrator.domain.WorkflowProblem;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The rules a workflow definition must follow to be stored (COMPAT.md, NODES.md §1). Returns
 * every problem, each with the JSON path of the part at fault, rather than stopping at the first.
 *
 * <p>Checked: {@code nodes} is a non-empty object of at most {@value WorkflowLimits#MAX_NODES}
 * entries; each entry is an object whose {@code node_id}, when present, equals its key, whose
 * {@code node_type} is a non-empty string and whose {@code config}, when present, is an object no
 * deeper than {@value WorkflowLimits#MAX_CONFIG_DEPTH} with strings of at most
 * {@value WorkflowLimits#MAX_CONFIG_STRING_CHARS} characters; {@code connections}, when present,
 * is an array of at most {@value WorkflowLimits#MAX_CONNECTIONS} objects whose four fields are
 * strings, whose nodes exist and differ; the execution flow ({@link ExecutionFlow}) has no cycle.
 * Not checked, on purpose: node types (unknown ones are legal in storage; a robot that cannot run
 * one refuses the job) and any field not named here, which is kept verbatim.
 */
public final class WorkflowValidator {
    /**
     * More problems than this are counted in one last problem ("and 7 more problems not listed"):
     * a list is for a person to read, and past a screenful the file is usually wrong altogether.
     */
    public static final int MAX_PROBLEMS = 20;
    private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z0-9_-]+");
    private static final String[] CONNECTION_FIELDS = {"source_node", "source_port", "target_node", "target_port"};

    private final List<WorkflowProblem> problems = new ArrayList<>();
    private int dropped;

    private WorkflowValidator() {}

    /** Every problem of {@code definition}, in document order; empty when it may be stored. */
    public static List<WorkflowProblem> validate(JsonNode definition) {
        WorkflowValidator v = new WorkflowValidator();
        v.check(definition);
        if (v.dropped > 0) {
            v.problems.add(new WorkflowProblem("", "and " + v.dropped + " more problem" + (v.dropped == 1 ? "" : "s")
                    + " not listed"));
        }
        return List.copyOf(v.problems);
    }

    private void check(JsonNode root) {
        if (root == null || !root.isObject()) {
            problem("", "a workflow must be a JSON object with \"nodes\" and \"connections\", got " + kind(root));
            return;
        }
        JsonNode nodes = root.get("nodes");
        if (nodes == null || !nodes.isObject() || nodes.isEmpty()) {
            problem("nodes", "must be a non-empty object keyed by node id, got " + (nodes != null && nodes.isObject()
                    ? "an empty object" : kind(nodes)));
            return;
        }
        if (nodes.size() > WorkflowLimits.MAX_NODES) {
            problem("nodes", nodes.size() + " nodes; a workflow may have at most " + WorkflowLimits.MAX_NODES);
        }
        for (Map.Entry<String, JsonNode> entry : nodes.properties()) {
            checkNode(entry.getKey(), entry.getValue());
        }
        checkConnections(root.get("connections"), nodes);
    }

    private void checkNode(String key, JsonNode node) {
        String path = "nodes" + member(key);
        if (!node.isObject()) {
            problem(path, "a node must be an object, got " + kind(node));
            return;
        }
        JsonNode id = node.get("node_id");
        if (id != null && !(id.isTextual() && id.asText().equals(key))) {
            problem(path + ".node_id", "must equal its key \"" + key + "\", got " + shown(id));
        }
        JsonNode type = node.get("node_type");
        if (type == null || !type.isTextual() || type.asText().isBlank()) {
            problem(path + ".node_type", "must be a non-empty string (the node's class, e.g. \"StartNode\"), got "
                    + shown(type));
        }
        JsonNode config = node.get("config");
        if (config != null && !config.isNull()) {
            if (!config.isObject()) {
                problem(path + ".config", "must be an object, got " + kind(config));
            } else {
                checkConfig(path + ".config", config, 1);
            }
        }
    }

    /** Reports the first place that is too deep, and every string that is too long. */
    private boolean checkConfig(String path, JsonNode value, int depth) {
        if (value.isContainerNode() && depth > WorkflowLimits.MAX_CONFIG_DEPTH) {
            problem(path, "config is nested deeper than " + WorkflowLimits.MAX_CONFIG_DEPTH + " levels");
            return false;
        }
        if (value.isTextual() && value.asText().length() > WorkflowLimits.MAX_CONFIG_STRING_CHARS) {
            problem(path, "a config string may have at most " + WorkflowLimits.MAX_CONFIG_STRING_CHARS
                    + " characters, this one has " + value.asText().length());
        }
        if (value.isObject()) {
            for (Map.Entry<String, JsonNode> e : value.properties()) {
                if (!checkConfig(path + member(e.getKey()), e.getValue(), depth + 1)) {
                    return false;
                }
            }
        } else if (value.isArray()) {
            for (int i = 0; i < value.size(); i++) {
                if (!checkConfig(path + "[" + i + "]", value.get(i), depth + 1)) {
                    return false;
                }
            }
        }
        return true;
    }

    private void checkConnections(JsonNode connections, JsonNode nodes) {
        if (connections == null || connections.isNull()) {
            return; // a workflow of unconnected nodes may leave it out
        }
        if (!connections.isArray()) {
            problem("connections", "must be an array of connections, got " + kind(connections));
            return;
        }
        if (connections.size() > WorkflowLimits.MAX_CONNECTIONS) {
            problem("connections", connections.size() + " connections; a workflow may have at most "
                    + WorkflowLimits.MAX_CONNECTIONS);
        }
        List<String> ids = new ArrayList<>();
        nodes.fieldNames().forEachRemaining(ids::add);
        ExecutionFlow flow = new ExecutionFlow(ids);
        for (int i = 0; i < connections.size(); i++) {
            checkConnection(i, connections.get(i), nodes, flow);
        }
        flow.findCycle().ifPresent(cycle -> problem("connections[" + cycle.closingConnection() + "]",
                "closes a cycle in the execution flow (" + String.join(" -> ", cycle.nodes()) + "); loops pair their"
                        + " start and end node through config (paired_start_id), never through a connection back"));
    }

    private void checkConnection(int index, JsonNode c, JsonNode nodes, ExecutionFlow flow) {
        String path = "connections[" + index + "]";
        if (!c.isObject()) {
            problem(path, "a connection must be an object, got " + kind(c));
            return;
        }
        boolean complete = true;
        for (String field : CONNECTION_FIELDS) {
            JsonNode v = c.get(field);
            if (v == null || !v.isTextual() || v.asText().isEmpty()) {
                problem(path + "." + field, "must be a non-empty string, got " + shown(v));
                complete = false;
            }
        }
        if (!complete) {
            return;
        }
        String source = c.get("source_node").asText();
        String target = c.get("target_node").asText();
        boolean exist = true;
        if (!nodes.has(source)) {
            problem(path + ".source_node", "no node \"" + source + "\" in nodes");
            exist = false;
        }
        if (!nodes.has(target)) {
            problem(path + ".target_node", "no node \"" + target + "\" in nodes");
            exist = false;
        }
        if (source.equals(target)) {
            problem(path, "connects node \"" + source + "\" to itself");
        } else if (exist && ExecutionFlow.isExecutionConnection(c.get("source_port").asText(), c.get("target_port").asText())) {
            flow.add(new ExecutionFlow.Edge(index, source, target));
        }
    }

    private void problem(String path, String message) {
        if (problems.size() < MAX_PROBLEMS) {
            problems.add(new WorkflowProblem(path, message));
        } else {
            dropped++;
        }
    }

    /** {@code .key} for plain keys, {@code ["odd key"]} otherwise. */
    static String member(String key) {
        if (PLAIN_KEY.matcher(key).matches()) {
            return "." + key;
        }
        return "[\"" + key.replace("\\", "\\\\").replace("\"", "\\\"") + "\"]";
    }

    private static String kind(JsonNode v) {
        if (v == null || v.isMissingNode()) {
            return "nothing";
        }
        return switch (v.getNodeType()) {
            case OBJECT -> "an object";
            case ARRAY -> "an array";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> v.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    private static String shown(JsonNode v) {
        if (v != null && v.isTextual()) {
            String s = v.asText();
            return "\"" + (s.length() > 60 ? s.substring(0, 60) + "…" : s) + "\"";
        }
        return kind(v);
    }
}
