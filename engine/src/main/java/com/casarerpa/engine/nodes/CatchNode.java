package com.casarerpa.engine.nodes;

import com.casarerpa.engine.node.Flow.CaughtError;
import com.casarerpa.engine.node.Node;
import com.casarerpa.engine.node.NodeContext;
import com.casarerpa.engine.node.NodeResult;
import com.casarerpa.engine.value.Values;

/**
 * Handler of the TryNode named by {@code paired_try_id}: when its body failed, runs
 * {@code catch_body} with outputs {@code error_message}, {@code error_type},
 * {@code failed_node_id}, {@code failed_node_type} and {@code stack_trace} (empty unless the node threw unexpectedly).
 */
public final class CatchNode implements Node {
    @Override
    public NodeResult execute(NodeContext ctx) {
        Object tryId = ctx.rawConfig("paired_try_id");
        CaughtError error = tryId == null ? null : ctx.flow().caughtError(Values.text(tryId));
        if (error == null) {
            return NodeResult.next();
        }
        return NodeResult.to("catch_body", NodeResult.outputs(
                "error_message", error.message(), "error_type", error.type(),
                "failed_node_id", error.nodeId(), "failed_node_type", error.nodeType(),
                "stack_trace", error.details() == null ? "" : error.details()));
    }
}
