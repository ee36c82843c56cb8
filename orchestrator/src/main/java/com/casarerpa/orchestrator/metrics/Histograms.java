package com.casarerpa.orchestrator.metrics;

import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Arrays;

/**
 * The histograms' buckets, chosen per series (a few fixed bounds each, so every histogram costs
 * the same handful of series however many values it takes); Micrometer adds {@code +Inf}.
 */
final class Histograms {
    /** HTTP requests: 5 ms to 10 s. */
    static final double[] REQUESTS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
    /** Dispatch: 1 ms to 30 s (the target is a p99 of 50 ms, the aim 20 ms). */
    static final double[] DISPATCH = {0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};
    /** A job's run: 100 ms to 6 h. */
    static final double[] RUNS = {0.1, 0.5, 1, 5, 10, 30, 60, 300, 600, 1800, 3600, 7200, 21600};
    /** A schedule's lag: 10 ms to 5 min. */
    static final double[] LAG = {0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300};

    private Histograms() {}

    /** A timer with these bucket bounds, in seconds. */
    static Timer.Builder timer(String name, String description, double[] bucketSeconds) {
        Duration[] bounds = Arrays.stream(bucketSeconds).mapToObj(s -> Duration.ofNanos(Math.round(s * 1e9))).toArray(Duration[]::new);
        return Timer.builder(name).description(description).serviceLevelObjectives(bounds);
    }
}
