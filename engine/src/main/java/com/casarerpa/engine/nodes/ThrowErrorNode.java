package com.casarerpa.engine.nodes;

import com.casarerpa.engine.node.Node;
import com.casarerpa.engine.node.NodeContext;
import com.casarerpa.engine.node.NodeFailure;
import com.casarerpa.engine.node.NodeResult;

/** Always fails with {@code error_message} (default "Custom error"), error type {@code CustomError} or {@code error_type}. */
public final class ThrowErrorNode implements Node {
    @Override
    public NodeResult execute(NodeContext ctx) {
        throw new NodeFailure(ctx.text("error_type", "CustomError"), ctx.text("error_message", "Custom error"), true);
    }
}
