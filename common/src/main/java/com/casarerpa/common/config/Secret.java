package com.casarerpa.common.config;

import java.util.Objects;

/**
 * A configuration value that must never be printed: {@link #toString()} masks it, so a secret
 * that slips into a log line or an error message shows as {@code ****}. Read it with
 * {@link #reveal()} only where it is used.
 */
public final class Secret {
    private final String value;

    public Secret(String value) {
        this.value = Objects.requireNonNull(value, "value");
    }

    public String reveal() {
        return value;
    }

    @Override
    public String toString() {
        return "****";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret other && other.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }
}
