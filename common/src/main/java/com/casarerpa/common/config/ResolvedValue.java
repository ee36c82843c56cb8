package com.casarerpa.common.config;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The effective value of one key and where it came from.
 *
 * @param setting   the key
 * @param value     the typed value, empty when the key is unset and has no default
 * @param text      the text it was parsed from; for a secret this is the secret itself, so it is
 *                  never part of {@link #toString()}
 * @param source    which source won
 * @param origin    the flag, the variable name, {@code file:line}, or empty for a default
 * @param variables for a value from the file, the environment variables its {@code ${…}}
 *                  references took their values from (in order); empty otherwise
 */
public record ResolvedValue<T>(Setting<T> setting, Optional<T> value, Optional<String> text, ValueSource source, String origin,
        List<String> variables) {

    public ResolvedValue {
        Objects.requireNonNull(setting, "setting");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(origin, "origin");
        variables = List.copyOf(variables);
    }

    public ResolvedValue(Setting<T> setting, Optional<T> value, Optional<String> text, ValueSource source, String origin) {
        this(setting, value, text, source, origin, List.of());
    }

    public String path() {
        return setting.path();
    }

    /** The value as shown to a person: masked when secret, empty when unset. */
    public String display() {
        return value.map(v -> setting.display(v, text.orElse(""))).orElse("");
    }

    /**
     * The origin with the variables substituted into it, as people read it:
     * {@code config/orchestrator.yaml:4, ${ORCHESTRATOR_SECRET_KEY}}; empty for a default.
     */
    public String where() {
        return where(origin, variables);
    }

    /** {@link #where()} of an origin and its variables. */
    public static String where(String origin, List<String> variables) {
        StringBuilder out = new StringBuilder(origin);
        variables.forEach(v -> out.append(", ${").append(v).append('}'));
        return out.toString();
    }

    @Override
    public String toString() {
        return path() + "=" + display() + " (" + source.label() + (origin.isEmpty() ? "" : " " + where()) + ")";
    }
}
