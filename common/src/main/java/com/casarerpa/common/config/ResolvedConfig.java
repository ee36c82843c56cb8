package com.casarerpa.common.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The effective value of every key of a {@link ConfigSchema}, in the schema's order. */
public final class ResolvedConfig {
    private final Map<String, ResolvedValue<?>> values = new LinkedHashMap<>();

    public ResolvedConfig(List<ResolvedValue<?>> values) {
        values.forEach(v -> this.values.put(v.path(), v));
    }

    public List<ResolvedValue<?>> values() {
        return List.copyOf(values.values());
    }

    public Map<String, ResolvedValue<?>> byPath() {
        return Collections.unmodifiableMap(values);
    }

    @SuppressWarnings("unchecked")
    public <T> ResolvedValue<T> resolved(Setting<T> setting) {
        ResolvedValue<?> value = values.get(setting.path());
        if (value == null || value.setting() != setting) {
            throw new IllegalArgumentException(setting.path() + " is not a setting of this configuration");
        }
        return (ResolvedValue<T>) value;
    }

    /** The value of a key that may be unset. */
    public <T> Optional<T> find(Setting<T> setting) {
        return resolved(setting).value();
    }

    /** The value of a key that has a default, so always has a value. */
    public <T> T get(Setting<T> setting) {
        return find(setting).orElseThrow(() -> new IllegalStateException(setting.path() + " has no value and no default"));
    }
}
