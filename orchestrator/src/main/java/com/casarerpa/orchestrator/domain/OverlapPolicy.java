package com.casarerpa.orchestrator.domain;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Whether a schedule starts a job while its previous job is still active (pending, assigned or
 * running): {@link #ALLOW} does, {@link #SKIP} records the fire as skipped instead.
 */
public enum OverlapPolicy {
    ALLOW, SKIP;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<OverlapPolicy> fromWire(String name) {
        return Arrays.stream(values()).filter(p -> p.wireName().equals(name)).findFirst();
    }
}
