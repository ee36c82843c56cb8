package com.casarerpa.orchestrator.metrics;

import java.time.Instant;
import java.util.Optional;

/**
 * How one background loop fares, as the metrics read it.
 *
 * @param loop        its name ({@code dispatcher}, {@code scheduler}, …)
 * @param failures    passes that threw since it started
 * @param lastSuccess when a pass last completed; empty before the first
 */
public record LoopReading(String loop, long failures, Optional<Instant> lastSuccess) {}
