package com.casarerpa.orchestrator.service;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What one background loop of this instance reports about itself, read by {@code /ready} (and
 * by metrics): a snapshot, taken when asked.
 *
 * @param name                the loop's name ({@code dispatcher}, {@code scheduler}, …; its thread is {@code casare-<name>})
 * @param failures            passes that threw, since the loop started
 * @param failingFor          passes that threw in a row up to now (0: the last pass succeeded)
 * @param lastSuccess         when a pass last completed; empty before the first one
 * @param lastFailure         what the last failed pass threw ({@code Throwable#toString()}); empty if none did
 * @param sinceSuccess        time since a pass last completed, or since the start when none has
 * @param stalledAfter        how long without a completed pass makes the loop stalled; empty for a loop
 *                            whose standstill does not stop the instance from serving
 */
public record LoopStatus(String name, long failures, long failingFor, Optional<Instant> lastSuccess,
        Optional<String> lastFailure, Duration sinceSuccess, Optional<Duration> stalledAfter) {

    /** True when no pass has completed for longer than {@link #stalledAfter}. */
    public boolean stalled() {
        return stalledAfter.isPresent() && sinceSuccess.compareTo(stalledAfter.get()) > 0;
    }
}
