package com.casarerpa.engine.workflow;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

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
    private final Map<String, List<Connection>> execOut = new HashMap<>();
    private final Map<String, List<Connection>> dataIn = new HashMap<>();
    private final Set<String> withExecIn = new HashSet<>();
    private final Map<String, Set<String>> bodies = new ConcurrentHashMap<>();

    /** A variable of the {@code variables} block: its initial value and whether it is secret. */
    public record DeclaredVariable(Object value, boolean sensitive) {}

    Workflow(String name, Map<String, NodeSpec> nodes, List<Connection> connections,
             Map<String, DeclaredVariable> variables, WorkflowSettings settings) {
        this.name = name;
        this.nodes = nodes;
        this.connections = List.copyOf(connections);
        this.variables = variables;
        this.settings = settings;
        for (Connection c : this.connections) {
            if (c.isExec()) {
                execOut.computeIfAbsent(c.sourceNode(), k -> new ArrayList<>()).add(c);
                withExecIn.add(c.targetNode());
            } else {
                dataIn.computeIfAbsent(c.targetNode(), k -> new ArrayList<>()).add(c);
            }
        }
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
        return execOut.getOrDefault(nodeId, List.of()).stream().filter(c -> c.sourcePort().equals(port)).toList();
    }

    /** Exec wires leaving {@code nodeId} from any port whose name contains "exec". */
    public List<Connection> execOutDefault(String nodeId) {
        return execOut.getOrDefault(nodeId, List.of()).stream().filter(Connection::fromExecPort).toList();
    }

    /** Data wires arriving at {@code nodeId}. */
    public List<Connection> dataIn(String nodeId) {
        return dataIn.getOrDefault(nodeId, List.of());
    }

    public boolean hasExecIn(String nodeId) {
        return withExecIn.contains(nodeId);
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
        execOut.getOrDefault(from, List.of()).stream()
                .filter(c -> ports.contains(c.sourcePort()))
                .forEach(c -> todo.add(c.targetNode()));
        while (!todo.isEmpty()) {
            String id = todo.poll();
            if (!seen.add(id) || id.equals(stopAt)) {
                continue;
            }
            execOut.getOrDefault(id, List.of()).forEach(c -> todo.add(c.targetNode()));
        }
        return seen;
    }

    /**
     * The body of a block: the nodes {@link #reachable} from the given ports, plus, for each
     * TryNode among them, its try body and the CatchNode/FinallyNode paired to it with their bodies
     * (those handlers are linked by {@code paired_try_id}, not by wires).
     */
    public Set<String> body(String from, Collection<String> ports, String stopAt) {
        return bodies.computeIfAbsent(from + "\u0000" + String.join(",", ports) + "\u0000" + stopAt,
                k -> Collections.unmodifiableSet(computeBody(from, ports, stopAt)));
    }

    private Set<String> computeBody(String from, Collection<String> ports, String stopAt) {
        Set<String> body = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>(reachable(from, ports, stopAt));
        while (!todo.isEmpty()) {
            String id = todo.poll();
            if (!body.add(id) || !"TryNode".equals(nodes.get(id).type())) {
                continue;
            }
            todo.addAll(reachable(id, List.of("try_body"), stopAt));
            for (String[] handler : new String[][] {{"CatchNode", "catch_body"}, {"FinallyNode", "finally_body"}}) {
                pairedNode(handler[0], "paired_try_id", id).ifPresent(h -> {
                    todo.add(h.id());
                    todo.addAll(reachable(h.id(), List.of(handler[1]), stopAt));
                });
            }
        }
        return body;
    }

    /**
     * Nodes without an incoming exec wire, in file order: the roots when there is no StartNode.
     * Catch and Finally handlers paired to a Try are not roots: they run only through their Try.
     */
    public List<String> roots() {
        List<String> roots = new ArrayList<>();
        for (NodeSpec n : nodes.values()) {
            boolean handler = (n.type().equals("CatchNode") || n.type().equals("FinallyNode")) && n.config().get("paired_try_id") != null;
            if (!hasExecIn(n.id()) && !handler) {
                roots.add(n.id());
            }
        }
        return roots;
    }
}
