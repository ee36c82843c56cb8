package com.casarerpa.engine.workflow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads workflow JSON (COMPAT.md) into a {@link Workflow} and refuses what cannot run: no nodes,
 * wires to missing nodes or to themselves, a cycle over exec wires, more than 1,000 nodes or
 * 5,000 connections. Extra top-level keys (snippets carry many) are ignored.
 */
public final class WorkflowParser {
    public static final int MAX_NODES = 1000;
    public static final int MAX_CONNECTIONS = 5000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private WorkflowParser() {}

    public static Workflow parse(JsonNode root) {
        if (root != null && root.isTextual()) {
            try {
                root = JSON.readTree(root.asText());
            } catch (JsonProcessingException e) {
                throw new InvalidWorkflowException("the workflow is a string that is not JSON: " + e.getOriginalMessage());
            }
        }
        if (root == null || !root.isObject()) {
            throw new InvalidWorkflowException("the workflow must be a JSON object with 'nodes' and 'connections'");
        }
        Map<String, NodeSpec> nodes = nodes(root.path("nodes"));
        List<Connection> connections = connections(root.path("connections"), nodes);
        Workflow workflow = new Workflow(root.path("metadata").path("name").asText(root.path("name").asText("")),
                nodes, connections, variables(root.path("variables")), settings(root.path("settings")));
        rejectExecCycle(workflow);
        return workflow;
    }

    private static Map<String, NodeSpec> nodes(JsonNode json) {
        if (!json.isObject() || json.isEmpty()) {
            throw new InvalidWorkflowException("'nodes' must be a non-empty object keyed by node id");
        }
        if (json.size() > MAX_NODES) {
            throw new InvalidWorkflowException("the workflow has " + json.size() + " nodes; the limit is " + MAX_NODES);
        }
        Map<String, NodeSpec> nodes = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode type = e.getValue().path("node_type");
            if (!type.isTextual() || type.asText().isBlank()) {
                throw new InvalidWorkflowException("node '" + e.getKey() + "' has no 'node_type'");
            }
            JsonNode configJson = e.getValue().path("config");
            Map<String, Object> config = configJson.isObject()
                    ? JSON.convertValue(configJson, JSON.getTypeFactory().constructMapType(LinkedHashMap.class, String.class, Object.class))
                    : new LinkedHashMap<>();
            boolean disabled = Boolean.TRUE.equals(config.get("_disabled"));
            nodes.put(e.getKey(), new NodeSpec(e.getKey(), type.asText(), config, disabled));
        }
        return nodes;
    }

    private static List<Connection> connections(JsonNode json, Map<String, NodeSpec> nodes) {
        List<Connection> result = new ArrayList<>();
        if (json.isMissingNode() || json.isNull()) {
            return result;
        }
        if (!json.isArray()) {
            throw new InvalidWorkflowException("'connections' must be an array");
        }
        if (json.size() > MAX_CONNECTIONS) {
            throw new InvalidWorkflowException("the workflow has " + json.size() + " connections; the limit is " + MAX_CONNECTIONS);
        }
        int i = 0;
        for (JsonNode c : json) {
            String where = "connections[" + i++ + "]";
            Connection conn = new Connection(text(c, "source_node", where), text(c, "source_port", where),
                    text(c, "target_node", where), text(c, "target_port", where));
            for (String end : List.of(conn.sourceNode(), conn.targetNode())) {
                if (!nodes.containsKey(end)) {
                    throw new InvalidWorkflowException(where + " refers to node '" + end + "', which does not exist");
                }
            }
            if (conn.sourceNode().equals(conn.targetNode())) {
                throw new InvalidWorkflowException(where + " connects node '" + conn.sourceNode() + "' to itself");
            }
            result.add(conn);
        }
        return result;
    }

    private static String text(JsonNode c, String field, String where) {
        JsonNode v = c.path(field);
        if (!v.isTextual() || v.asText().isEmpty()) {
            throw new InvalidWorkflowException(where + " has no '" + field + "'");
        }
        return v.asText();
    }

    /** Each entry is {@code {name, type, default_value, value, sensitive, ...}} or a plain value. */
    private static Map<String, Workflow.DeclaredVariable> variables(JsonNode json) {
        Map<String, Workflow.DeclaredVariable> result = new LinkedHashMap<>();
        if (!json.isObject()) {
            return result;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            boolean declaration = v.isObject() && (v.has("default_value") || v.has("value") || v.has("type") || v.has("sensitive"));
            JsonNode value = !declaration ? v : v.has("default_value") && !v.get("default_value").isNull() ? v.get("default_value") : v.path("value");
            Object plain = value.isMissingNode() ? null : JSON.convertValue(value, Object.class);
            result.put(e.getKey(), new Workflow.DeclaredVariable(plain, declaration && v.path("sensitive").asBoolean(false)));
        }
        return result;
    }

    private static WorkflowSettings settings(JsonNode json) {
        boolean stopOnError = !json.has("stop_on_error") || json.get("stop_on_error").asBoolean(true);
        double seconds = json.path("timeout").asDouble(0);
        return new WorkflowSettings(stopOnError, seconds > 0 ? Duration.ofMillis((long) (seconds * 1000)) : null);
    }

    private static void rejectExecCycle(Workflow w) {
        Map<String, List<String>> next = new HashMap<>();
        for (Connection c : w.connections()) {
            if (c.isExec()) {
                next.computeIfAbsent(c.sourceNode(), k -> new ArrayList<>()).add(c.targetNode());
            }
        }
        Set<String> done = new HashSet<>();
        for (NodeSpec n : w.nodes()) {
            findCycle(n.id(), next, done, new LinkedHashMap<>());
        }
    }

    private static void findCycle(String id, Map<String, List<String>> next, Set<String> done, Map<String, Boolean> onPath) {
        if (done.contains(id)) {
            return;
        }
        if (onPath.containsKey(id)) {
            List<String> path = new ArrayList<>(onPath.keySet());
            throw new InvalidWorkflowException("the execution flow has a cycle: "
                    + String.join(" -> ", path.subList(path.indexOf(id), path.size())) + " -> " + id
                    + " (loops repeat through ForLoopEndNode/WhileLoopEndNode paired_start_id, not through a wire back)");
        }
        onPath.put(id, true);
        for (String t : next.getOrDefault(id, List.of())) {
            findCycle(t, next, done, onPath);
        }
        onPath.remove(id);
        done.add(id);
    }
}
