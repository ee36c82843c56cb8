package com.casarerpa.orchestrator.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Retention's series (docs/operations.md, "Retention"): the rows this instance purged, per table,
 * and how long its batches took. The tables' series exist from the start (at 0).
 */
public final class RetentionMetrics {
    /** Every table retention deletes from, as the {@code table} label names it. */
    public static final List<String> TABLES = List.of("jobs", "job_logs", "job_attempts", "job_tags", "job_requirements",
            "job_batches", "job_bulk_actions", "schedule_fires", "audit_events");

    private final MeterRegistry registry;
    private final Map<String, Counter> purged = new ConcurrentHashMap<>();
    private final Timer batches;

    RetentionMetrics(MeterRegistry registry) {
        this.registry = registry;
        TABLES.forEach(this::counter);
        batches = Histograms.timer("casare.retention.batch.duration",
                "How long each of this instance's retention batches (one transaction) took", Histograms.REQUESTS).register(registry);
    }

    /** Records nothing: for a purge built without metrics (tests, commands). */
    public static RetentionMetrics none() {
        return new RetentionMetrics(new CompositeMeterRegistry());
    }

    private Counter counter(String table) {
        return purged.computeIfAbsent(table, t -> Counter.builder("casare.retention.purged.rows")
                .description("Rows deleted by retention on this instance, per table").tag("table", t).register(registry));
    }

    /** {@code n} rows of {@code table} were purged. */
    public void purged(String table, int n) {
        if (n > 0) {
            counter(table).increment(n);
        }
    }

    /** A batch took {@code took}. */
    public void batch(Duration took) {
        batches.record(took);
    }
}
