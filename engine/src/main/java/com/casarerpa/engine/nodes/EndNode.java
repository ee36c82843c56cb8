package com.casarerpa.engine.nodes;

import com.casarerpa.engine.node.Node;
import com.casarerpa.engine.node.NodeContext;
import com.casarerpa.engine.node.NodeResult;

/** Ends its own branch; other queued branches go on. */
public final class EndNode implements Node {
    @Override
    public NodeResult execute(NodeContext ctx) {
        return NodeResult.end();
    }
}
