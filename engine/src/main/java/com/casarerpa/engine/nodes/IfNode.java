package com.casarerpa.engine.nodes;

import com.casarerpa.engine.node.Node;
import com.casarerpa.engine.node.NodeContext;
import com.casarerpa.engine.node.NodeResult;

/** Goes on along port {@code true} or {@code false} ({@link Conditions}); output {@code result}. */
public final class IfNode implements Node {
    @Override
    public NodeResult execute(NodeContext ctx) {
        boolean result = Conditions.holds(ctx);
        return NodeResult.to(result ? "true" : "false", NodeResult.outputs("result", result));
    }
}
