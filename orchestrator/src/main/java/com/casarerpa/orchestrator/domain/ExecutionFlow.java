package com.casarerpa.orchestrator.domain;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The execution-flow graph of a workflow: the connections that decide which node runs next, as
 * opposed to those that carry data. A connection is execution flow when its source or target port
 * starts with {@code exec} or is a control port ({@code true}, {@code false}, {@code body},
 * {@code completed}, {@code try_body}, {@code catch_body}, {@code finally_body}, {@code default},
 * {@code case_*}). The flow must be acyclic: loops pair their start and end node through config
 * ({@code paired_start_id}), never through a connection back to the start.
 */
public final class ExecutionFlow {
    private static final Set<String> CONTROL_PORTS =
            Set.of("true", "false", "body", "completed", "try_body", "catch_body", "finally_body", "default");

    /** A connection between two existing, distinct nodes; {@code index} is its place in {@code connections}. */
    public record Edge(int index, String source, String target) {}

    /** A cycle: the nodes in order (the first repeated at the end) and the connection that closes it. */
    public record Cycle(List<String> nodes, int closingConnection) {}

    private final Map<String, List<Edge>> outgoing = new LinkedHashMap<>();

    public ExecutionFlow(Iterable<String> nodeIds) {
        nodeIds.forEach(id -> outgoing.put(id, new ArrayList<>()));
    }

    public static boolean isExecutionPort(String port) {
        if (port == null) {
            return false;
        }
        String p = port.toLowerCase(Locale.ROOT);
        return p.startsWith("exec") || p.startsWith("case_") || CONTROL_PORTS.contains(p);
    }

    public static boolean isExecutionConnection(String sourcePort, String targetPort) {
        return isExecutionPort(sourcePort) || isExecutionPort(targetPort);
    }

    public void add(Edge edge) {
        outgoing.get(edge.source()).add(edge);
    }

    /** The first cycle found (depth-first, in node and connection order), if any. */
    public Optional<Cycle> findCycle() {
        Map<String, Integer> state = new HashMap<>(); // absent: unvisited, 1: on the path, 2: done
        for (String start : outgoing.keySet()) {
            if (state.containsKey(start)) {
                continue;
            }
            Deque<String> path = new ArrayDeque<>();
            Deque<Iterator<Edge>> pending = new ArrayDeque<>();
            path.push(start);
            pending.push(outgoing.get(start).iterator());
            state.put(start, 1);
            while (!pending.isEmpty()) {
                Iterator<Edge> next = pending.peek();
                if (!next.hasNext()) {
                    state.put(path.pop(), 2);
                    pending.pop();
                    continue;
                }
                Edge edge = next.next();
                Integer seen = state.get(edge.target());
                if (seen == null) {
                    state.put(edge.target(), 1);
                    path.push(edge.target());
                    pending.push(outgoing.get(edge.target()).iterator());
                } else if (seen == 1) {
                    return Optional.of(new Cycle(cycleNodes(path, edge.target()), edge.index()));
                }
            }
        }
        return Optional.empty();
    }

    private static List<String> cycleNodes(Deque<String> path, String repeated) {
        List<String> nodes = new ArrayList<>();
        for (String node : path) { // top of the stack first: the current node back to the repeated one
            nodes.add(node);
            if (node.equals(repeated)) {
                break;
            }
        }
        Collections.reverse(nodes);
        nodes.add(repeated);
        return nodes;
    }
}
