package com.casarerpa.engine.nodes;

import com.casarerpa.engine.node.Node;
import com.casarerpa.engine.node.NodeContext;
import com.casarerpa.engine.node.NodeResult;

/**
 * The end of the body of the ForLoopStartNode named by {@code paired_start_id}: goes back to it.
 * Unpaired (or its loop not running), it simply goes on along {@code exec_out}.
 */
public final class ForLoopEndNode implements Node {
    @Override
    public NodeResult execute(NodeContext ctx) {
        return LoopPairing.running(ctx) != null ? NodeResult.loopBack(LoopPairing.startId(ctx)) : NodeResult.next();
    }
}
