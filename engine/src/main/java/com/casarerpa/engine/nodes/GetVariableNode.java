package com.casarerpa.engine.nodes;

import com.casarerpa.engine.node.Node;
import com.casarerpa.engine.node.NodeContext;
import com.casarerpa.engine.node.NodeResult;
import com.casarerpa.engine.value.Variables;

/** Outputs {@code value}: variable {@code variable_name} (a path like {@code a.b[0]} works), else {@code default_value}. */
public final class GetVariableNode implements Node {
    @Override
    public NodeResult execute(NodeContext ctx) {
        String name = SetVariableNode.variableName(ctx);
        Object value = ctx.variables().lookup(name);
        if (value == null || value == Variables.MISSING) {
            value = ctx.param("default_value");
        }
        return NodeResult.next(NodeResult.outputs("value", value));
    }
}
