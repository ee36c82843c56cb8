package com.casarerpa.engine.nodes;

import com.casarerpa.engine.node.Node;
import com.casarerpa.engine.node.NodeContext;
import com.casarerpa.engine.node.NodeFailure;
import com.casarerpa.engine.node.NodeResult;
import com.casarerpa.engine.value.Values;
import com.casarerpa.engine.value.Variables;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Output {@code result}: {@code template} (interpolated) with each {@code {name}} replaced by
 * {@code variables[name]}, else by the workflow variable {@code name}; {@code {{}} and {@code }}}
 * stand for literal braces. A name found nowhere, or a positional {@code {}} / {@code {0}},
 * fails the node. Execution goes on along {@code exec_out} (CasareRPA stopped after it).
 */
public final class FormatStringNode implements Node {
    private static final Pattern FIELD = Pattern.compile("\\{\\{|}}|\\{([^{}]*)}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    @Override
    public NodeResult execute(NodeContext ctx) {
        String template = ctx.text("template", "");
        Object given = ctx.param("variables");
        Map<?, ?> values = given instanceof Map<?, ?> m ? m : Map.of();
        Matcher m = FIELD.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement;
            if (m.group(1) == null) {
                replacement = m.group().substring(1);
            } else {
                String name = m.group(1).trim();
                if (!NAME.matcher(name).matches()) {
                    throw NodeFailure.config("FormatStringNode supports named fields like {name}, not '{" + m.group(1) + "}'");
                }
                Object value = values.containsKey(name) ? values.get(name) : ctx.variables().lookup(name);
                if (value == Variables.MISSING) {
                    throw NodeFailure.config("FormatStringNode: no value for {" + name + "} in 'variables' or the workflow variables");
                }
                replacement = Values.text(value);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return NodeResult.next(NodeResult.outputs("result", out.toString()));
    }
}
