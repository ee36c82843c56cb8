package com.casarerpa.engine.nodes;

import com.casarerpa.engine.node.Node;
import com.casarerpa.engine.node.NodeContext;
import com.casarerpa.engine.node.NodeResult;

/** Skips the rest of this pass of the loop named by {@code paired_loop_start_id}. */
public final class ContinueNode implements Node {
    @Override
    public NodeResult execute(NodeContext ctx) {
        return LoopPairing.running(ctx) != null ? NodeResult.loopBack(LoopPairing.startId(ctx)) : NodeResult.next();
    }
}
