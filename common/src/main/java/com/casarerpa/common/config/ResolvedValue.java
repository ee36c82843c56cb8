package com.casarerpa.common.config;

import java.util.Objects;
import java.util.Optional;

/**
 * The effective value of one key and where it came from.
 *
 * @param setting the key
 * @param value   the typed value, empty when the key is unset and has no default
 * @param text    the text it was parsed from; for a secret this is the secret itself, so it is
 *                never part of {@link #toString()}
 * @param source  which source won
 * @param origin  the flag, the variable name, {@code file:line}, or empty for a default
 */
public record ResolvedValue<T>(Setting<T> setting, Optional<T> value, Optional<String> text, ValueSource source, String origin) {

    public ResolvedValue {
        Objects.requireNonNull(setting, "setting");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(origin, "origin");
    }

    public String path() {
        return setting.path();
    }

    /** The value as shown to a person: masked when secret, empty when unset. */
    public String display() {
        return value.map(v -> setting.display(v, text.orElse(""))).orElse("");
    }

    @Override
    public String toString() {
        return path() + "=" + display() + " (" + source.label() + (origin.isEmpty() ? "" : " " + origin) + ")";
    }
}
