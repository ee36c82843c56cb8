package com.casarerpa.orchestrator.metrics;

import com.casarerpa.orchestrator.domain.JobState;
import com.casarerpa.orchestrator.store.GaugeQueries;
import com.casarerpa.orchestrator.store.GaugeQueries.Figures;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The series that describe the shared database (queue, live jobs, robots, slots): read by
 * {@link #refresh} at most once per {@code maxAge}, however often Prometheus scrapes, and kept
 * in between. Every instance reads and reports the same values (aggregate with {@code max}).
 * When a reading fails (the database is away) the last values stay, and the failure is logged
 * once until a reading works again.
 */
final class SharedGauges {
    private static final Logger log = LoggerFactory.getLogger(SharedGauges.class);

    private final Supplier<Figures> read;
    private final Duration maxAge;
    private final LongSupplier nanoTime;
    private volatile Figures figures = Figures.none();
    private long readAt;
    private boolean everRead;
    private boolean failing;

    SharedGauges(MeterRegistry registry, Supplier<Figures> read, Duration maxAge, LongSupplier nanoTime) {
        this.read = read;
        this.maxAge = maxAge;
        this.nanoTime = nanoTime;
        gauge(registry, "casare.jobs.queue.depth", "Jobs in state pending (dispatchable now or waiting for a retry time)",
                f -> f.jobs().get(JobState.PENDING));
        for (JobState state : GaugeQueries.LIVE) {
            Gauge.builder("casare.jobs", this, g -> g.figures.jobs().get(state)).description("Live jobs by state")
                    .tag("state", state.wireName()).register(registry);
        }
        Gauge.builder("casare.jobs.oldest.pending.age", this, g -> g.figures.oldestWaiting().toMillis() / 1000.0)
                .description("How long the oldest pending job that may be dispatched now has waited since it could be (0 when none)")
                .baseUnit("seconds").register(registry);
        for (String status : GaugeQueries.ROBOT_STATUSES) {
            Gauge.builder("casare.robots", this, g -> g.figures.robots().get(status)).description("Robots by status")
                    .tag("status", status).register(registry);
        }
        gauge(registry, "casare.robots.active", "Robots online or busy", f -> f.robots().get("online") + f.robots().get("busy"));
        Gauge.builder("casare.robot.slots", this, g -> g.figures.slotsUsed()).description("Job slots of robots online or busy: held by a job, or free")
                .tag("state", "used").register(registry);
        Gauge.builder("casare.robot.slots", this, g -> g.figures.slotsFree()).description("Job slots of robots online or busy: held by a job, or free")
                .tag("state", "free").register(registry);
    }

    private void gauge(MeterRegistry registry, String name, String description, ToDoubleFunction<Figures> value) {
        Gauge.builder(name, this, g -> value.applyAsDouble(g.figures)).description(description).register(registry);
    }

    /** Reads the figures again when the last reading is older than {@code maxAge}. One caller at a time. */
    void refresh() {
        long now = nanoTime.getAsLong();
        if (everRead && now - readAt < maxAge.toNanos()) {
            return;
        }
        readAt = now;
        everRead = true;
        try {
            figures = read.get();
            if (failing) {
                log.info("metrics: the shared gauges are read again");
                failing = false;
            }
        } catch (RuntimeException e) {
            if (!failing) {
                log.warn("metrics: cannot read the shared gauges (queue, jobs, robots); they keep their last values: {}",
                        e.getMessage());
                failing = true;
            }
        }
    }
}
