package com.casarerpa.engine.node;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** The node types an engine runs, by type name. */
public final class NodeCatalog {
    private final Map<String, Node> nodes = new LinkedHashMap<>();

    public NodeCatalog(Collection<? extends Node> nodes) {
        for (Node n : nodes) {
            if (this.nodes.putIfAbsent(n.type(), n) != null) {
                throw new IllegalArgumentException("node type " + n.type() + " is registered twice");
            }
        }
    }

    public Node get(String type) {
        return nodes.get(type);
    }

    public Set<String> types() {
        return Collections.unmodifiableSet(nodes.keySet());
    }
}
