package com.casarerpa.engine.nodes;

import com.casarerpa.engine.node.Node;
import com.casarerpa.engine.node.NodeContext;
import com.casarerpa.engine.node.NodeFailure;
import com.casarerpa.engine.node.NodeResult;
import com.casarerpa.engine.value.Values;
import java.util.List;

/**
 * Goes on along {@code case_<case>} for the first of {@code cases} whose text equals the text
 * of the value, else along {@code default}. The value is the {@code value} port or
 * {@code config.value} (interpolated), else {@code config.expression} evaluated.
 */
public final class SwitchNode implements Node {
    @Override
    public NodeResult execute(NodeContext ctx) {
        Object value = ctx.param("value");
        if (value == null || "".equals(value)) {
            Object expression = ctx.rawConfig("expression");
            if (expression == null || Values.text(expression).isBlank()) {
                throw NodeFailure.config("SwitchNode '" + ctx.nodeId() + "' has no value: connect the 'value' port or set config 'value' or 'expression'");
            }
            value = ctx.evaluate(Values.text(expression));
        }
        String text = Values.text(value);
        Object cases = ctx.param("cases");
        List<?> list = cases instanceof List<?> l ? l : cases == null ? List.of() : List.of(Values.text(cases).split(","));
        for (Object c : list) {
            String name = Values.text(c).trim();
            if (name.equals(text)) {
                return NodeResult.to("case_" + name, NodeResult.outputs("matched", name, "value", value));
            }
        }
        return NodeResult.to("default", NodeResult.outputs("matched", "default", "value", value));
    }
}
