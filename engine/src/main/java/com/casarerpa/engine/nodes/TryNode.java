package com.casarerpa.engine.nodes;

import com.casarerpa.engine.node.Node;
import com.casarerpa.engine.node.NodeContext;
import com.casarerpa.engine.node.NodeResult;

/**
 * Runs {@code try_body} guarded: a failure there runs the CatchNode whose {@code paired_try_id}
 * names this node, then the paired FinallyNode; afterwards execution goes on along the
 * {@code exec_out} of the Try, Catch and Finally nodes (see {@code TryBlocks}).
 */
public final class TryNode implements Node {
    @Override
    public NodeResult execute(NodeContext ctx) {
        return NodeResult.enterTry();
    }
}
