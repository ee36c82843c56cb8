package com.casarerpa.common.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Expands environment variable references in a YAML string value, the way a shell would:
 * {@code ${VAR}} is the value of {@code VAR}, which must be set; {@code ${VAR:-default}} is the
 * value of {@code VAR}, or {@code default} when it is unset. A value may mix text and several
 * references ({@code postgresql://${PGUSER}:${PGPASSWORD}@db:5432/casare}). {@code $${} writes a
 * literal {@code ${}. An empty variable counts as unset, as everywhere in the configuration.
 * The default ends at the first {@code }}; references do not nest.
 */
public final class VariableSubstitution {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final Map<String, String> env;

    /**
     * An expanded value and where its parts came from.
     *
     * @param text      the value with every reference replaced
     * @param variables the variables whose values went into {@code text}, in order, each once;
     *                  not those whose reference fell back to its default
     */
    public record Expansion(String text, List<String> variables) {
        public Expansion {
            variables = List.copyOf(variables);
        }
    }

    public VariableSubstitution(Map<String, String> env) {
        this.env = env;
    }

    /**
     * @param text  the value as written in the file
     * @param where the key and its place, for messages: {@code database.url (config/orchestrator.yaml:12)}
     * @throws ConfigException for an unset variable without default or a malformed reference;
     *                         the message never contains the value
     */
    public String expand(String text, String where) {
        return substitute(text, where).text();
    }

    /** {@link #expand}, also telling which variables were used. */
    public Expansion substitute(String text, String where) {
        List<String> used = new ArrayList<>();
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            if (text.startsWith("$${", i)) {
                out.append("${");
                i += 3;
            } else if (text.startsWith("${", i)) {
                int end = text.indexOf('}', i + 2);
                if (end < 0) {
                    throw new ConfigException(where + ": a ${ without its closing }; write $${ for a literal ${");
                }
                out.append(resolve(text.substring(i + 2, end), where, used));
                i = end + 1;
            } else {
                out.append(text.charAt(i));
                i++;
            }
        }
        return new Expansion(out.toString(), used);
    }

    private String resolve(String reference, String where, List<String> used) {
        int colon = reference.indexOf(":-");
        String name = colon < 0 ? reference : reference.substring(0, colon);
        if (!NAME.matcher(name).matches()) {
            throw new ConfigException(where + ": a ${…} reference needs a variable name of letters, digits and"
                    + " underscores, like ${DATABASE_URL} or ${DATABASE_URL:-default}");
        }
        String value = env.get(name);
        if (value != null && !value.isEmpty()) {
            if (!used.contains(name)) {
                used.add(name);
            }
            return value;
        }
        if (colon >= 0) {
            return reference.substring(colon + 2);
        }
        throw new ConfigException(where + ": environment variable " + name + " is not set (referenced as ${" + name
                + "}); set it, or write ${" + name + ":-} to make it optional or ${" + name + ":-value} for a default");
    }
}
