package com.casarerpa.common.config;

import java.util.Locale;

/** Where a configuration value came from, highest precedence first. */
public enum ValueSource {
    FLAG, ENVIRONMENT, FILE, DEFAULT;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
