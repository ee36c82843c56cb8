package com.casarerpa.engine.nodes;

import com.casarerpa.engine.node.Node;
import com.casarerpa.engine.node.NodeContext;
import com.casarerpa.engine.node.NodeResult;

/** Where the run begins (the first StartNode in file order). */
public final class StartNode implements Node {
    @Override
    public NodeResult execute(NodeContext ctx) {
        return NodeResult.next();
    }
}
