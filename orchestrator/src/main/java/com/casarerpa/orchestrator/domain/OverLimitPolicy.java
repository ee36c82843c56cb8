package com.casarerpa.orchestrator.domain;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * What a cron fire does when {@code scheduler.max_concurrent_schedules} schedule-started jobs are
 * active already: {@link #QUEUE} (the default) creates its job all the same, held back from
 * robots until the bound allows it (released in queue order: priority, then age); {@link #SKIP}
 * creates none and records the fire as skipped with the reason.
 */
public enum OverLimitPolicy {
    QUEUE, SKIP;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<OverLimitPolicy> fromWire(String name) {
        return Arrays.stream(values()).filter(p -> p.wireName().equals(name)).findFirst();
    }
}
