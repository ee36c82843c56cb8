package com.casarerpa.common.config;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * One configuration key, declared once: its dotted path in the YAML file, its type, its default,
 * the environment variables and flag that set it, and whether it is a secret.
 *
 * <p>Besides the {@link #envVars() named variables}, every key also accepts the generic variable
 * its {@link ConfigSchema} derives from the path ({@code CASARE_QUEUE_MAX_RETRIES}); a named
 * variable wins over the generic one.
 *
 * <p>A secret never appears in output or in an error message: it shows as {@code ****}, or as
 * what its {@link #mask() mask} leaves of it (a database URL without its password).
 *
 * @param path         dotted path, lower case with underscores: {@code queue.max_retries}
 * @param type         how text becomes a value
 * @param defaultText  the default as text (parsed like any other source), empty for "unset"
 * @param envVars      named environment variables, highest precedence first
 * @param flag         the command-line flag that sets it ({@code --port}), shown as its origin
 * @param secret       whether the value must never be shown
 * @param mask         for a secret: what may be shown of it
 * @param description  one line for people
 */
public record Setting<T>(
        String path,
        ValueType<T> type,
        Optional<String> defaultText,
        List<String> envVars,
        Optional<String> flag,
        boolean secret,
        UnaryOperator<String> mask,
        String description) {

    public static final String MASK = "****";

    public Setting {
        Objects.requireNonNull(path, "path");
        if (!path.matches("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+")) {
            throw new IllegalArgumentException("a setting path is section.key in lower case: " + path);
        }
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(defaultText, "defaultText");
        envVars = List.copyOf(envVars);
        Objects.requireNonNull(flag, "flag");
        Objects.requireNonNull(mask, "mask");
        Objects.requireNonNull(description, "description");
    }

    /** A plain (not secret) key without default, variables or flag; refine with the {@code with…} methods. */
    public static <T> Setting<T> of(String path, ValueType<T> type, String description) {
        return new Setting<>(path, type, Optional.empty(), List.of(), Optional.empty(), false, text -> MASK, description);
    }

    public Setting<T> withDefault(String text) {
        return new Setting<>(path, type, Optional.of(text), envVars, flag, secret, mask, description);
    }

    public Setting<T> withEnv(String... names) {
        return new Setting<>(path, type, defaultText, List.of(names), flag, secret, mask, description);
    }

    public Setting<T> withFlag(String name) {
        return new Setting<>(path, type, defaultText, envVars, Optional.of(name), secret, mask, description);
    }

    /** Marks the key secret; it shows as {@code ****}. */
    public Setting<T> asSecret() {
        return asSecret(text -> MASK);
    }

    /** Marks the key secret; it shows as {@code mask} makes it (which must remove every secret part). */
    public Setting<T> asSecret(UnaryOperator<String> mask) {
        return new Setting<>(path, type, defaultText, envVars, flag, true, mask, description);
    }

    /** The value as shown to a person. */
    public String display(T value, String text) {
        return secret ? mask.apply(text) : type.format(value);
    }
}
