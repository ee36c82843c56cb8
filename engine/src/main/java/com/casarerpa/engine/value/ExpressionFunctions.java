package com.casarerpa.engine.value;

import java.util.Collection;
import java.util.Map;

/** Functions callable in conditions without a prefix: {@code len(items) > 0}, {@code int(x) + 1}. */
public final class ExpressionFunctions {
    private ExpressionFunctions() {}

    public static int len(Object v) {
        if (v instanceof String s) {
            return s.length();
        }
        if (v instanceof Collection<?> c) {
            return c.size();
        }
        if (v instanceof Map<?, ?> m) {
            return m.size();
        }
        throw new IllegalArgumentException("len() needs text, a list or a map, got " + Values.text(v));
    }

    public static String str(Object v) {
        return Values.text(v);
    }

    public static long toInt(Object v) {
        Number n = Values.number(v instanceof String s ? s.trim() : v);
        if (n == null) {
            throw new IllegalArgumentException("not a number: " + Values.text(v));
        }
        return n.longValue();
    }

    public static double toFloat(Object v) {
        Number n = Values.number(v);
        if (n == null) {
            throw new IllegalArgumentException("not a number: " + Values.text(v));
        }
        return n.doubleValue();
    }

    public static boolean bool(Object v) {
        return Values.truthy(v);
    }

    public static String lower(Object v) {
        return Values.text(v).toLowerCase(java.util.Locale.ROOT);
    }

    public static String upper(Object v) {
        return Values.text(v).toUpperCase(java.util.Locale.ROOT);
    }

    public static boolean contains(Object container, Object item) {
        if (container instanceof Collection<?> c) {
            return c.contains(item);
        }
        if (container instanceof Map<?, ?> m) {
            return m.containsKey(item);
        }
        return Values.text(container).contains(Values.text(item));
    }
}
