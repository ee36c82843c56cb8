package com.casarerpa.engine.nodes;

import com.casarerpa.engine.node.LoopState;
import com.casarerpa.engine.node.Node;
import com.casarerpa.engine.node.NodeContext;
import com.casarerpa.engine.node.NodeResult;

/** Leaves the loop named by {@code paired_loop_start_id}: its start goes on along {@code completed}. */
public final class BreakNode implements Node {
    @Override
    public NodeResult execute(NodeContext ctx) {
        LoopState loop = LoopPairing.running(ctx);
        if (loop == null) {
            return NodeResult.next();
        }
        loop.requestBreak();
        return NodeResult.loopBack(LoopPairing.startId(ctx));
    }
}
