package com.casarerpa.engine.nodes;

import com.casarerpa.engine.node.Node;
import com.casarerpa.engine.node.NodeContext;
import com.casarerpa.engine.node.NodeResult;
import com.casarerpa.engine.value.Values;

/**
 * Handler of the TryNode named by {@code paired_try_id} that always runs after its body (and
 * catch): runs {@code finally_body} with output {@code had_error}.
 */
public final class FinallyNode implements Node {
    @Override
    public NodeResult execute(NodeContext ctx) {
        Object tryId = ctx.rawConfig("paired_try_id");
        boolean hadError = tryId != null && ctx.flow().caughtError(Values.text(tryId)) != null;
        return NodeResult.to("finally_body", NodeResult.outputs("had_error", hadError));
    }
}
