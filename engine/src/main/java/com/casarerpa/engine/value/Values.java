package com.casarerpa.engine.value;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Map;

/**
 * How workflow values (JSON-shaped Java objects) turn into text, numbers and truth values,
 * the same way everywhere: interpolation, conditions, node parameters.
 */
public final class Values {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Values() {}

    public static ObjectMapper json() {
        return JSON;
    }

    /**
     * Text form: {@code null} is empty, booleans are {@code true}/{@code false}, maps and lists
     * are JSON, integral numbers have no fraction unless they are floating point ({@code 2.0}).
     */
    public static String text(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof String s) {
            return s;
        }
        if (v instanceof Map<?, ?> || v instanceof Collection<?> || v.getClass().isArray()) {
            try {
                return JSON.writeValueAsString(v);
            } catch (JsonProcessingException e) {
                return String.valueOf(v);
            }
        }
        if (v instanceof BigDecimal d) {
            return d.toPlainString();
        }
        return String.valueOf(v);
    }

    /** Python truth: null, false, 0, "" and empty collections are false. */
    public static boolean truthy(Object v) {
        if (v == null) {
            return false;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof Number n) {
            return n.doubleValue() != 0;
        }
        if (v instanceof String s) {
            return !s.isEmpty();
        }
        if (v instanceof Collection<?> c) {
            return !c.isEmpty();
        }
        if (v instanceof Map<?, ?> m) {
            return !m.isEmpty();
        }
        return true;
    }

    /** A number from a number or numeric text; {@code null} when it is neither. */
    public static Number number(Object v) {
        if (v instanceof Number n) {
            return n;
        }
        if (v instanceof String s) {
            String t = s.trim();
            try {
                return Long.parseLong(t);
            } catch (NumberFormatException notLong) {
                try {
                    double d = Double.parseDouble(t);
                    return Double.isFinite(d) ? d : null;
                } catch (NumberFormatException notNumber) {
                    return null;
                }
            }
        }
        return null;
    }

    public static boolean isIntegral(Number n) {
        return n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte || n instanceof BigInteger;
    }

    /** Booleans as CasareRPA coerces them: "true", "1", "yes", "on" (any case) are true. */
    public static boolean flag(Object v) {
        if (v instanceof String s) {
            return switch (s.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "true", "1", "yes", "on" -> true;
                default -> false;
            };
        }
        return truthy(v);
    }
}
