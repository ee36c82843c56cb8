package com.casarerpa.orchestrator.config;

import com.casarerpa.common.config.ResolvedValue;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Settings together with where each value came from, for {@code casare-rpa orchestrator config}.
 *
 * @param settings   the typed, validated settings
 * @param entries    one entry per configuration key, in a stable order, secrets already masked
 * @param configFile the YAML file that was read, if any
 */
public record LoadedConfig(OrchestratorSettings settings, List<Entry> entries, Optional<Path> configFile) {

    public LoadedConfig {
        Objects.requireNonNull(settings, "settings");
        entries = List.copyOf(entries);
        Objects.requireNonNull(configFile, "configFile");
    }

    public LoadedConfig(OrchestratorSettings settings, List<Entry> entries) {
        this(settings, entries, Optional.empty());
    }

    /** Where a value came from, in order of precedence (highest first). */
    public enum Source {
        FLAG, ENVIRONMENT, FILE, DEFAULT;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * @param key       dotted path, e.g. {@code queue.max_retries}
     * @param value     the value as shown to a person ({@code ****} for a secret that is set, empty when unset)
     * @param source    where it came from
     * @param origin    detail of the source: the variable name, the file path and line, or the flag;
     *                  empty for a default
     * @param variables for a value from the file, the environment variables its {@code ${…}} took
     *                  their values from
     */
    public record Entry(String key, String value, Source source, String origin, List<String> variables) {
        public Entry {
            variables = List.copyOf(variables);
        }

        public Entry(String key, String value, Source source, String origin) {
            this(key, value, source, origin, List.of());
        }

        /** The origin and the variables: {@code config/orchestrator.yaml:4, ${ORCHESTRATOR_SECRET_KEY}}. */
        public String where() {
            return ResolvedValue.where(origin, variables);
        }
    }
}
