package com.casarerpa.orchestrator.config;

import java.util.List;

/**
 * Settings together with where each value came from, for {@code casare-rpa orchestrator config}.
 *
 * @param settings the typed, validated settings
 * @param entries  one entry per configuration key, in a stable order, secrets already masked
 */
public record LoadedConfig(OrchestratorSettings settings, List<Entry> entries) {

    /** Where a value came from, in order of precedence (highest first). */
    public enum Source {
        FLAG, ENVIRONMENT, FILE, DEFAULT;

        public String label() {
            return name().toLowerCase();
        }
    }

    /**
     * @param key    dotted path, e.g. {@code queue.max_retries}
     * @param value  the value as shown to a person ({@code ****} for a secret that is set, empty when unset)
     * @param source where it came from
     * @param origin detail of the source: the variable name, the file path, or the flag
     */
    public record Entry(String key, String value, Source source, String origin) {}
}
