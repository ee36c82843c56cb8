package com.casarerpa.orchestrator.domain;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * What a schedule does with fire times that passed while no instance ran (or the database was
 * away): {@link #FIRE_ONCE} starts one job for all of them (the default, as UiPath and Quartz's
 * "fire now" do), {@link #SKIP} starts none and waits for the next time, {@link #FIRE_ALL}
 * starts one job per missed time, at most {@code misfire_limit} of them (the latest ones).
 */
public enum MisfirePolicy {
    FIRE_ONCE, SKIP, FIRE_ALL;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<MisfirePolicy> fromWire(String name) {
        return Arrays.stream(values()).filter(p -> p.wireName().equals(name)).findFirst();
    }
}
