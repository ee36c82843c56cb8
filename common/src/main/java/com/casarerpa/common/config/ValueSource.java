package com.casarerpa.common.config;

import java.util.Locale;

/** Where a configuration value came from, highest precedence first. */
public enum ValueSource {
    FLAG, ENVIRONMENT, FILE, DEFAULT;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * For messages: {@code flag --port}, {@code environment variable ORCHESTRATOR_PORT},
     * {@code config/orchestrator.yaml:3, ${PORT}}, {@code the default}.
     *
     * @param where the value's {@link ResolvedValue#where()}
     */
    public String describe(String where) {
        return switch (this) {
            case FLAG -> "flag " + where;
            case ENVIRONMENT -> "environment variable " + where;
            case FILE -> where;
            case DEFAULT -> "the default";
        };
    }
}
