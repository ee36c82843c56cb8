package com.casarerpa.orchestrator.metrics;

import com.casarerpa.orchestrator.events.ChangeEvent;
import com.casarerpa.orchestrator.events.ChangeEvents;
import com.casarerpa.orchestrator.events.Subscription;
import com.casarerpa.orchestrator.store.GaugeQueries;
import com.casarerpa.orchestrator.store.RedisConnection;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * One instance's metrics (docs/monitoring.md): a Micrometer registry written out in Prometheus'
 * text format by {@link #scrape}, with the JVM's and the process's binders, the database pool's
 * own metrics, and the series of the orchestrator. Counters move where things happen (increments
 * only, no database work); what describes the shared database is read at a scrape, at most once
 * per {@link #SHARED_MAX_AGE}.
 *
 * <p>{@link #off()} records nothing: every facade takes its calls and drops them.
 */
public final class Metrics implements AutoCloseable {
    /** The Prometheus text format {@link #scrape} writes. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    /** How long a reading of the shared database serves scrapes. */
    public static final Duration SHARED_MAX_AGE = Duration.ofSeconds(5);

    private final MeterRegistry registry;
    private final Optional<PrometheusMeterRegistry> prometheus;
    private final HttpMetrics http;
    private final RobotMetrics robots;
    private final ScheduleMetrics schedules;
    private final JobMetrics jobs;
    private final LoopMetrics loops;
    private final RetentionMetrics retention;
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final ReentrantLock scraping = new ReentrantLock();
    private volatile SharedGauges shared;

    private Metrics(MeterRegistry registry, Optional<PrometheusMeterRegistry> prometheus) {
        this.registry = registry;
        this.prometheus = prometheus;
        http = new HttpMetrics(registry);
        robots = new RobotMetrics(registry);
        schedules = new ScheduleMetrics(registry);
        jobs = new JobMetrics(registry);
        loops = new LoopMetrics(registry);
        retention = new RetentionMetrics(registry);
    }

    /** Metrics recorded in a Prometheus registry, with the JVM and process binders. */
    public static Metrics prometheus() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // Series promtool's lint refuses: an abbreviated unit (ns), a gauge named like a histogram's _count.
        registry.config().meterFilter(MeterFilter.denyNameStartsWith("process.cpu.time"))
                .meterFilter(MeterFilter.deny(id -> id.getName().equals("system.cpu.count")));
        Metrics m = new Metrics(registry, Optional.of(registry));
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        m.resources.add(gc);
        new JvmThreadMetrics().bindTo(registry);
        new JvmInfoMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        return m;
    }

    /** Records nothing and has nothing to scrape ({@code metrics.enabled: false}). */
    public static Metrics off() {
        return new Metrics(new CompositeMeterRegistry(), Optional.empty());
    }

    public boolean enabled() {
        return prometheus.isPresent();
    }

    public HttpMetrics http() {
        return http;
    }

    public RobotMetrics robots() {
        return robots;
    }

    public ScheduleMetrics schedules() {
        return schedules;
    }

    public RetentionMetrics retention() {
        return retention;
    }

    /**
     * Counts this instance's job changes and schedule fires from {@code events}, and the events
     * its subscribers dropped. Nothing when off.
     */
    public void observe(ChangeEvents events) {
        if (!enabled()) {
            return;
        }
        Subscription s = events.subscribe("metrics", ChangeEvents.DEFAULT_CAPACITY, Duration.ZERO, batch -> batch.forEach(this::count));
        resources.add(s);
        FunctionCounter.builder("casare.change.events.dropped", events, ChangeEvents::dropped)
                .description("Change events a slow subscriber could not take").register(registry);
    }

    private void count(ChangeEvent e) {
        switch (e.kind()) {
            case JOB -> jobs.changed(e);
            case SCHEDULE -> {
                if (!e.remote()) {
                    schedules.fired(e.change().to());
                }
            }
            case ROBOT, LOG -> { } // robots are counted from the database (shared gauges); log batches are not counted
        }
    }

    /** The shared series, read through {@code queries} at most once per {@link #SHARED_MAX_AGE}. */
    public void readShared(GaugeQueries queries) {
        if (enabled()) {
            shared = new SharedGauges(registry, queries::read, SHARED_MAX_AGE, System::nanoTime);
        }
    }

    /** HikariCP's own metrics of the pool behind {@code dataSource} (a HikariCP pool; anything else is left alone). */
    public void pool(DataSource dataSource) {
        if (enabled() && dataSource instanceof HikariDataSource hikari) {
            hikari.setMetricRegistry(registry);
        }
    }

    /** {@code casare_instance_info}: one series of value 1 naming this instance. */
    public void instance(String instanceId, String version, String database) {
        Gauge.builder("casare.instance.info", () -> 1).description("One series per running instance")
                .tag("instance_id", instanceId).tag("version", version).tag("database", database).register(registry);
    }

    /** {@code casare_live_feeds}: the live feeds ({@code GET /api/v1/events}) open on this instance. */
    public void liveFeeds(java.util.function.IntSupplier open) {
        Gauge.builder("casare.live.feeds", open::getAsInt).description("Live feeds (GET /api/v1/events) open on this instance")
                .register(registry);
    }

    /**
     * {@code casare_redis_up} (1 while Redis answers) and {@code casare_redis_fallbacks_total}: the
     * rate-limit decisions and key lookups this instance made without Redis, by {@code use}.
     */
    public void redis(RedisConnection redis) {
        Gauge.builder("casare.redis.up", () -> redis.up() ? 1 : 0).description("1 while Redis answers this instance, 0 while it"
                + " falls back").register(registry);
        for (RedisConnection.Use use : RedisConnection.Use.values()) {
            FunctionCounter.builder("casare.redis.fallbacks", redis, r -> r.fallbacks(use)).tag("use", use.label())
                    .description("Rate-limit decisions and API-key lookups made without Redis (it did not answer)").register(registry);
        }
    }

    /** Where the background loops are read at each scrape. */
    public void loops(Supplier<List<LoopReading>> readings) {
        loops.readFrom(readings);
    }

    /**
     * The metrics in Prometheus' text format: the loops and (when the last reading is older than
     * {@link #SHARED_MAX_AGE}) the shared database are read first. Scrapes take turns.
     *
     * @throws IllegalStateException when off
     */
    public String scrape() {
        PrometheusMeterRegistry p = prometheus.orElseThrow(() -> new IllegalStateException("metrics are off"));
        scraping.lock();
        try {
            loops.refresh();
            if (shared != null) {
                shared.refresh();
            }
            return p.scrape();
        } finally {
            scraping.unlock();
        }
    }

    @Override
    public void close() {
        for (AutoCloseable r : resources) {
            try {
                r.close();
            } catch (Exception e) {
                // closing at shutdown: nothing left to do about it
            }
        }
        registry.close();
    }
}
