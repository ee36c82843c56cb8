package com.casarerpa.engine.nodes;

import com.casarerpa.engine.node.NodeContext;
import com.casarerpa.engine.node.NodeFailure;
import com.casarerpa.engine.value.Values;

/**
 * The condition of IfNode and WhileLoopStartNode, from the first present of: the
 * {@code condition} port, {@code config.condition}, {@code config.expression}. A boolean is
 * taken as it is; text is an expression ("true", "counter < 3", "{{name}} == 'bob'"); any
 * other value counts by Python truth (0, empty, null are false).
 */
final class Conditions {
    private Conditions() {}

    static boolean holds(NodeContext ctx) {
        Object value = ctx.input("condition");
        if (value == null) {
            value = present(ctx.rawConfig("condition")) ? ctx.rawConfig("condition") : ctx.rawConfig("expression");
        }
        if (!present(value)) {
            throw NodeFailure.config(ctx.nodeType() + " '" + ctx.nodeId()
                    + "' has no condition: connect the 'condition' port or set config 'condition' or 'expression'");
        }
        return value instanceof String expression ? Values.truthy(ctx.evaluate(expression)) : Values.truthy(value);
    }

    private static boolean present(Object v) {
        return v != null && !(v instanceof String s && s.isBlank());
    }
}
