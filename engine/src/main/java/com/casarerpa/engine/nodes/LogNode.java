package com.casarerpa.engine.nodes;

import com.casarerpa.engine.LogLevel;
import com.casarerpa.engine.node.Node;
import com.casarerpa.engine.node.NodeContext;
import com.casarerpa.engine.node.NodeResult;
import com.casarerpa.engine.value.Values;
import com.casarerpa.engine.value.Variables;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Logs {@code message} (interpolated; then {@code {name}} with single braces is replaced by a
 * variable, as CasareRPA's {@code str.format}) at {@code level} (debug, info, warning, error,
 * critical; default info), with {@code " | Data: ..."} when {@code data} is set. Only a message is needed.
 */
public final class LogNode implements Node {
    private static final Pattern FORMAT_FIELD = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]*)}");

    @Override
    public NodeResult execute(NodeContext ctx) {
        String message = formatFields(ctx.text("message", ""), ctx.variables());
        Object data = ctx.param("data");
        if (data != null) {
            message = message + " | Data: " + Values.text(data);
        }
        ctx.log(level(ctx.text("level", "info")), message);
        return NodeResult.next(NodeResult.outputs("message", message));
    }

    static String formatFields(String text, Variables variables) {
        Matcher m = FORMAT_FIELD.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            Object v = variables.lookup(m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement(v == Variables.MISSING ? m.group() : Values.text(v)));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static LogLevel level(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "debug", "trace" -> LogLevel.DEBUG;
            case "warning", "warn" -> LogLevel.WARNING;
            case "error", "critical", "fatal" -> LogLevel.ERROR;
            default -> LogLevel.INFO;
        };
    }
}
