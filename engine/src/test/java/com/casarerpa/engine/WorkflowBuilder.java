package com.casarerpa.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/** Builds workflow JSON for tests: {@code flow().node("s", "StartNode").then("s", "end")...}. */
final class WorkflowBuilder {
    static final ObjectMapper JSON = new ObjectMapper();
    private final ObjectNode root = JSON.createObjectNode();
    private final ObjectNode nodes = root.putObject("nodes");
    private final ArrayNode connections = root.putArray("connections");

    private WorkflowBuilder() {
        root.putObject("metadata").put("name", "test");
        root.putObject("variables");
        root.putObject("settings").put("stop_on_error", true);
    }

    static WorkflowBuilder flow() {
        return new WorkflowBuilder();
    }

    WorkflowBuilder node(String id, String type) {
        return node(id, type, Map.of());
    }

    WorkflowBuilder node(String id, String type, Map<String, ?> config) {
        ObjectNode n = nodes.putObject(id);
        n.put("node_id", id).put("node_type", type);
        n.set("config", JSON.valueToTree(config));
        n.putArray("position").add(0).add(0);
        return this;
    }

    /** exec_out of {@code from} to exec_in of {@code to}. */
    WorkflowBuilder then(String from, String to) {
        return wire(from, "exec_out", to, "exec_in");
    }

    /** A routing port ({@code true}, {@code body} ...) of {@code from} to exec_in of {@code to}. */
    WorkflowBuilder route(String from, String port, String to) {
        return wire(from, port, to, "exec_in");
    }

    WorkflowBuilder wire(String from, String fromPort, String to, String toPort) {
        connections.addObject().put("source_node", from).put("source_port", fromPort)
                .put("target_node", to).put("target_port", toPort);
        return this;
    }

    /** Straight line: exec_out to exec_in through the given ids. */
    WorkflowBuilder chain(String... ids) {
        for (int i = 0; i + 1 < ids.length; i++) {
            then(ids[i], ids[i + 1]);
        }
        return this;
    }

    WorkflowBuilder variable(String name, Object value) {
        ((ObjectNode) root.get("variables")).set(name, JSON.valueToTree(value));
        return this;
    }

    WorkflowBuilder setting(String name, Object value) {
        ((ObjectNode) root.get("settings")).set(name, JSON.valueToTree(value));
        return this;
    }

    JsonNode json() {
        return root;
    }
}
