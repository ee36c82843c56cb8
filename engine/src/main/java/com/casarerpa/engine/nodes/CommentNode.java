package com.casarerpa.engine.nodes;

import com.casarerpa.engine.node.Node;
import com.casarerpa.engine.node.NodeContext;
import com.casarerpa.engine.node.NodeResult;

/** Does nothing; wired inline, execution continues through it (CasareRPA stopped there). */
public final class CommentNode implements Node {
    @Override
    public NodeResult execute(NodeContext ctx) {
        return NodeResult.next();
    }
}
