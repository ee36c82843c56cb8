package com.casarerpa.engine.run;

import com.casarerpa.common.secrets.SensitiveNames;
import com.casarerpa.engine.value.Variables;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Hides secrets in what leaves the engine (final variables, log messages). A variable is
 * sensitive when the workflow's {@code variables} block declares it {@code "sensitive": true},
 * or when its name looks secret by the rule the orchestrator shares ({@link SensitiveNames}).
 * Its value becomes {@code "***"}, and wherever the text of a sensitive value (4 characters or
 * more) appears inside another value or a log line, it is replaced by {@code ***} too (a node
 * output that copied it, a formatted string).
 */
final class SensitiveMask {
    static final String MASK = SensitiveNames.MASK;
    private static final int MIN_LENGTH = 4;

    private final Set<String> declared;

    SensitiveMask(Set<String> declared) {
        this.declared = Set.copyOf(declared);
    }

    boolean isSensitive(String name) {
        return declared.contains(name) || SensitiveNames.looksSecret(name);
    }

    /** The variables with sensitive ones masked, ready to report. */
    Map<String, Object> mask(Map<String, Object> variables) {
        List<String> secrets = secrets(variables);
        Map<String, Object> out = new LinkedHashMap<>();
        variables.forEach((k, v) -> out.put(k, isSensitive(k) ? MASK : scrub(v, secrets)));
        return out;
    }

    /** A log message with the current secret values hidden. */
    String scrubText(String text, Variables variables) {
        return (String) scrub(text, secrets(variables.snapshot()));
    }

    private List<String> secrets(Map<String, Object> variables) {
        List<String> secrets = new ArrayList<>();
        variables.forEach((k, v) -> {
            if (isSensitive(k) && v != null) {
                String text = com.casarerpa.engine.value.Values.text(v);
                if (text.length() >= MIN_LENGTH) {
                    secrets.add(text);
                }
            }
        });
        secrets.sort(Comparator.comparingInt(String::length).reversed());
        return secrets;
    }

    private Object scrub(Object value, List<String> secrets) {
        if (value instanceof String s) {
            String out = s;
            for (String secret : secrets) {
                out = out.replace(secret, MASK);
            }
            return out;
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(k, k instanceof String name && isSensitive(name) ? MASK : scrub(v, secrets)));
            return out;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            list.forEach(v -> out.add(scrub(v, secrets)));
            return out;
        }
        return value;
    }
}
