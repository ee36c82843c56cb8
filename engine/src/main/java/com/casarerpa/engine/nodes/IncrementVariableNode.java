package com.casarerpa.engine.nodes;

import com.casarerpa.engine.node.Node;
import com.casarerpa.engine.node.NodeContext;
import com.casarerpa.engine.node.NodeFailure;
import com.casarerpa.engine.node.NodeResult;
import com.casarerpa.engine.value.Values;

/**
 * Adds {@code increment} (default 1) to variable {@code variable_name} (missing or null counts
 * as 0). Whole numbers stay whole (CasareRPA always made a float).
 */
public final class IncrementVariableNode implements Node {
    @Override
    public NodeResult execute(NodeContext ctx) {
        String name = SetVariableNode.variableName(ctx);
        Object current = ctx.variables().get(name);
        Number base = current == null ? Long.valueOf(0) : Values.number(current);
        if (base == null) {
            throw new NodeFailure("TypeError", "cannot increment variable '" + name + "': '" + Values.text(current) + "' is not a number", false);
        }
        Number step = ctx.number("increment", 1L);
        Number sum = Values.isIntegral(base) && (Values.isIntegral(step) || step.doubleValue() == Math.rint(step.doubleValue()))
                ? (Number) (base.longValue() + step.longValue())
                : (Number) (base.doubleValue() + step.doubleValue());
        ctx.variables().set(name, sum);
        return NodeResult.next(NodeResult.outputs("value", sum));
    }
}
