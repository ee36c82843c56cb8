package com.casarerpa.orchestrator.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Each background loop's failed passes and last completed pass, read from the loops at each
 * scrape ({@link #refresh}); a loop that appears later gets its series then, and one that is no
 * longer reported keeps its last reading.
 */
final class LoopMetrics {
    private final MeterRegistry registry;
    private final Set<String> known = new HashSet<>();
    private volatile Supplier<List<LoopReading>> source = List::of;
    private volatile Map<String, LoopReading> latest = Map.of();

    LoopMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void readFrom(Supplier<List<LoopReading>> loops) {
        source = loops;
    }

    /** Takes a reading of every loop; registers the series of loops not seen before. One caller at a time. */
    void refresh() {
        Map<String, LoopReading> now = new HashMap<>(latest);
        source.get().forEach(r -> now.put(r.loop(), r));
        latest = Map.copyOf(now);
        for (String loop : now.keySet()) {
            if (known.add(loop)) {
                FunctionCounter.builder("casare.background.loop.failures", this, m -> m.reading(loop).map(r -> (double) r.failures()).orElse(0.0))
                        .description("Failed passes of each background loop").tag("loop", loop).register(registry);
                Gauge.builder("casare.background.loop.last.success.timestamp", this, m -> m.reading(loop).flatMap(LoopReading::lastSuccess)
                                .map(t -> t.toEpochMilli() / 1000.0).orElse(Double.NaN))
                        .description("Unix time of each loop's last completed pass (NaN before the first)").baseUnit("seconds")
                        .tag("loop", loop).register(registry);
            }
        }
    }

    private Optional<LoopReading> reading(String loop) {
        return Optional.ofNullable(latest.get(loop));
    }
}
