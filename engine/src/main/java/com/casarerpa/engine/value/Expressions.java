package com.casarerpa.engine.value;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import org.apache.commons.jexl3.JexlBuilder;
import org.apache.commons.jexl3.JexlEngine;
import org.apache.commons.jexl3.JexlException;
import org.apache.commons.jexl3.JexlFeatures;
import org.apache.commons.jexl3.MapContext;
import org.apache.commons.jexl3.introspection.JexlPermissions;
import org.apache.commons.jexl3.introspection.JexlSandbox;

/**
 * Conditions of IfNode, SwitchNode and WhileLoopStartNode, in Apache Commons JEXL 3 restricted
 * to expressions: no assignment, loops, lambdas, {@code new}, pragmas; only methods of strings,
 * numbers, booleans, maps and lists and the functions of {@link ExpressionFunctions} are reachable.
 *
 * <p>Before parsing, {@code {{x}}} (and {@code ${x}}, {@code %x%}) stands for the value of
 * {@code x} as a literal: outside quotes it becomes a bound value of the same type, inside a
 * quoted string its text is inserted. A reference to nothing becomes the bare name.
 */
public final class Expressions {
    private static final JexlEngine JEXL = engine();

    private Expressions() {}

    private static JexlEngine engine() {
        JexlSandbox sandbox = new JexlSandbox(false, true);
        for (Class<?> c : new Class<?>[] {String.class, Number.class, Boolean.class, Character.class,
                Map.class, java.util.Collection.class, Map.Entry.class, ExpressionFunctions.class}) {
            // everything on these types except reflection, monitors, mutation and huge strings:
            // the values are the run's own variables, which a condition must not change
            sandbox.block(c.getName()).execute("getClass", "wait", "notify", "notifyAll", "repeat",
                    "put", "putAll", "putIfAbsent", "remove", "clear", "compute", "computeIfAbsent", "computeIfPresent",
                    "merge", "replace", "replaceAll", "add", "addAll", "addFirst", "addLast", "removeAll", "removeIf",
                    "removeFirst", "removeLast", "retainAll", "set", "sort", "setValue").read("class");
        }
        JexlFeatures features = new JexlFeatures()
                .loops(false).lambda(false).sideEffect(false).sideEffectGlobal(false)
                .newInstance(false).pragma(false).annotation(false).localVar(false)
                .importPragma(false).namespacePragma(false).register(false);
        Map<String, Object> functions = new HashMap<>();
        functions.put(null, ExpressionFunctions.class);
        return new JexlBuilder()
                .permissions(new JexlPermissions.ClassPermissions(JexlPermissions.RESTRICTED, java.util.List.of(ExpressionFunctions.class.getName())))
                .sandbox(sandbox)
                .features(features)
                .namespaces(functions)
                .strict(true).safe(false).silent(false)
                .cache(256)
                .create();
    }

    /** The value of {@code expression}; a parse or evaluation error is an {@link ExpressionException} naming the expression. */
    public static Object evaluate(String expression, Interpolator interpolator, Variables variables) {
        Map<String, Object> names = new HashMap<>(variables.outputs());
        names.putAll(variables.snapshot());
        MapContext context = new MapContext(names);
        context.set("True", Boolean.TRUE);
        context.set("False", Boolean.FALSE);
        context.set("None", null);
        String prepared = bindReferences(expression, interpolator, context);
        if (prepared.isBlank()) {
            throw new ExpressionException("the condition is empty");
        }
        try {
            return JEXL.createExpression(prepared).evaluate(context);
        } catch (JexlException e) {
            throw new ExpressionException("cannot evaluate '" + expression + "': " + describe(e));
        }
    }

    private static String describe(JexlException e) {
        String m = e.getMessage();
        int colon = m == null ? -1 : m.indexOf(' ');
        return m == null ? e.getClass().getSimpleName() : m.substring(colon + 1).trim();
    }

    private static String bindReferences(String expression, Interpolator interpolator, MapContext context) {
        Matcher m = Interpolator.REFERENCE.matcher(expression);
        StringBuilder out = new StringBuilder();
        char quote = 0;
        int scanned = 0;
        int bound = 0;
        while (m.find()) {
            quote = quoteStateAfter(expression, scanned, m.start(), quote);
            scanned = m.end();
            String path = Interpolator.pathOf(m);
            Object value = interpolator.lookup(path);
            String replacement;
            if (value == Variables.MISSING) {
                replacement = quote == 0 ? path : m.group();
            } else if (quote != 0) {
                replacement = Values.text(value).replace("\\", "\\\\").replace(String.valueOf(quote), "\\" + quote);
            } else {
                String name = "__ref" + bound++;
                context.set(name, value);
                replacement = name;
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Which quote (or 0) is open at {@code to}, given the one open at {@code from}. */
    private static char quoteStateAfter(String s, int from, int to, char open) {
        char quote = open;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (quote != 0 && c == '\\') {
                i++;
            } else if (quote == 0 && (c == '\'' || c == '"')) {
                quote = c;
            } else if (c == quote) {
                quote = 0;
            }
        }
        return quote;
    }
}
