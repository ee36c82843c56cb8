package com.casarerpa.engine.workflow;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A parsed, validated workflow: nodes in file order, their wires, the declared variables and
 * the settings. Immutable; one instance may serve several runs.
 */
public final class Workflow {
    private final String name;
    private final Map<String, NodeSpec> nodes;
    private final List<Connection> connections;
    private final Map<String, DeclaredVariable> variables;
    private final WorkflowSettings settings;

    /** A variable of the {@code variables} block: its initial value and whether it is secret. */
    public record DeclaredVariable(Object value, boolean sensitive) {}

    Workflow(String name, Map<String, NodeSpec> nodes, List<Connection> connections,
             Map<String, DeclaredVariable> variables, WorkflowSettings settings) {
        this.name = name;
        this.nodes = nodes;
        this.connections = List.copyOf(connections);
        this.variables = variables;
        this.settings = settings;
    }

    public String name() {
        return name;
    }

    public Collection<NodeSpec> nodes() {
        return nodes.values();
    }

    public NodeSpec node(String id) {
        return nodes.get(id);
    }

    public List<Connection> connections() {
        return connections;
    }

    public Map<String, DeclaredVariable> variables() {
        return variables;
    }

    public WorkflowSettings settings() {
        return settings;
    }

    /** Exec wires leaving {@code nodeId} from {@code port}, in file order. */
    public List<Connection> execOut(String nodeId, String port) {
        return connections.stream()
                .filter(c -> c.isExec() && c.sourceNode().equals(nodeId) && c.sourcePort().equals(port))
                .toList();
    }

    /** Exec wires leaving {@code nodeId} from any port whose name contains "exec". */
    public List<Connection> execOutDefault(String nodeId) {
        return connections.stream().filter(c -> c.sourceNode().equals(nodeId) && c.fromExecPort()).toList();
    }

    /** Data wires arriving at {@code nodeId}. */
    public List<Connection> dataIn(String nodeId) {
        return connections.stream().filter(c -> !c.isExec() && c.targetNode().equals(nodeId)).toList();
    }

    public boolean hasExecIn(String nodeId) {
        return connections.stream().anyMatch(c -> c.isExec() && c.targetNode().equals(nodeId));
    }

    /** The first node (file order) of {@code type} whose {@code config[key]} equals {@code value}. */
    public Optional<NodeSpec> pairedNode(String type, String key, String value) {
        return nodes.values().stream()
                .filter(n -> n.type().equals(type) && value.equals(n.config().get(key)))
                .findFirst();
    }

    /**
     * Nodes reachable over exec wires from the given ports of {@code from} (not including
     * {@code from} unless a path returns to it), never walking past {@code stopAt}.
     */
    public Set<String> reachable(String from, Collection<String> ports, String stopAt) {
        Set<String> seen = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>();
        connections.stream()
                .filter(c -> c.isExec() && c.sourceNode().equals(from) && ports.contains(c.sourcePort()))
                .forEach(c -> todo.add(c.targetNode()));
        while (!todo.isEmpty()) {
            String id = todo.poll();
            if (!seen.add(id) || id.equals(stopAt)) {
                continue;
            }
            for (Connection c : connections) {
                if (c.isExec() && c.sourceNode().equals(id)) {
                    todo.add(c.targetNode());
                }
            }
        }
        return seen;
    }

    /** Nodes without an incoming exec wire, in file order: the roots when there is no StartNode. */
    public List<String> roots() {
        List<String> roots = new ArrayList<>();
        for (NodeSpec n : nodes.values()) {
            if (!hasExecIn(n.id())) {
                roots.add(n.id());
            }
        }
        return roots;
    }
}
