package com.casarerpa.orchestrator.service;

import com.casarerpa.orchestrator.store.DatabaseLiveness;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * Liveness ({@code /health}) and readiness ({@code /ready}) of this instance.
 *
 * <p>Healthy means the database answers. Ready means healthy, the database takes writes in time
 * (no lock or stall holds the tables requests write), the schema has no pending migrations and
 * the instance is not draining for shutdown, and no background loop is stalled (has not
 * completed a pass for longer than its bound: see {@link LoopStatus#stalled()}); a load balancer
 * stops sending traffic to an instance that is not ready.
 */
public final class HealthService {
    /** How long a pending-migrations answer is reused; the schema changes only by deploys. */
    private static final Duration SCHEMA_CHECK_INTERVAL = Duration.ofSeconds(10);

    private final DatabaseLiveness database;
    private final Supplier<List<String>> pendingMigrations;
    private final IntSupplier robotsOnline;
    private final Supplier<List<LoopStatus>> loops;
    private final Clock clock;
    /** Optional dependencies (Redis): their state is shown in /ready; they never make it not ready. */
    private final Map<String, Supplier<String>> optional = new java.util.concurrent.ConcurrentSkipListMap<>();
    private volatile boolean draining;
    private volatile SchemaCheck lastSchemaCheck;

    /**
     * @param database          probe of the database connection
     * @param pendingMigrations versions of migrations not yet applied (may throw when the database is down)
     * @param robotsOnline      robots connected and not offline, fleet-wide
     * @param loops             the background loops of this instance, as they fare now
     */
    public HealthService(DatabaseLiveness database, Supplier<List<String>> pendingMigrations, IntSupplier robotsOnline,
            Supplier<List<LoopStatus>> loops, Clock clock) {
        this.database = database;
        this.pendingMigrations = pendingMigrations;
        this.robotsOnline = robotsOnline;
        this.loops = loops;
        this.clock = clock;
    }

    public record HealthReport(String status, String database, String queue, int robotsOnline) {
        public boolean healthy() {
            return "healthy".equals(status);
        }
    }

    public record Readiness(String status, Map<String, String> checks, List<String> reasons) {
        public boolean ready() {
            return "ready".equals(status);
        }
    }

    public HealthReport health() {
        if (!database.isUp()) {
            return new HealthReport("unhealthy", "disconnected", "unavailable", 0);
        }
        return new HealthReport("healthy", "connected", "active", robotsOnline.getAsInt());
    }

    public Readiness readiness() {
        Map<String, String> checks = new LinkedHashMap<>();
        List<String> reasons = new ArrayList<>();
        boolean dbUp = database.isUp();
        checks.put("database", dbUp ? "connected" : "disconnected");
        if (!dbUp) {
            reasons.add("the database does not answer");
        }
        if (dbUp) {
            boolean writable = database.acceptsWrites();
            checks.put("database_writes", writable ? "in_time" : "stalled");
            if (!writable) {
                reasons.add("the database does not take writes in time (a lock or a stalled server); requests would wait");
            }
            List<String> pending = pending();
            checks.put("migrations", pending.isEmpty() ? "current" : "pending");
            if (!pending.isEmpty()) {
                reasons.add(pending.size() + " pending migration(s) " + pending
                        + "; run 'casare-rpa orchestrator migrate'");
            }
        } else {
            checks.put("database_writes", "unknown");
            checks.put("migrations", "unknown");
        }
        List<LoopStatus> stalled = loops.get().stream().filter(LoopStatus::stalled).toList();
        checks.put("background_loops", stalled.isEmpty() ? "running" : "stalled");
        stalled.forEach(l -> reasons.add(stalledReason(l)));
        optional.forEach((name, state) -> checks.put(name, state.get()));
        checks.put("instance", draining ? "draining" : "running");
        if (draining) {
            reasons.add("the instance is shutting down");
        }
        return new Readiness(reasons.isEmpty() ? "ready" : "not_ready", checks, reasons);
    }

    private static String stalledReason(LoopStatus l) {
        return "the " + l.name() + " loop has not completed a pass for " + l.sinceSuccess().toSeconds() + " s (stalled after "
                + l.stalledAfter().orElseThrow().toSeconds() + " s; " + l.failingFor() + " failed pass(es) in a row"
                + l.lastFailure().map(f -> ", the last: " + f).orElse("") + ")";
    }

    /**
     * Shows an optional dependency in /ready's checks ({@code connected}, {@code degraded}): the
     * instance works without it, so it never makes the instance not ready.
     */
    public void optional(String name, Supplier<String> state) {
        optional.put(name, state);
    }

    /** From now on this instance reports not ready, so load balancers move traffic away. */
    public void beginDraining() {
        draining = true;
    }

    public boolean draining() {
        return draining;
    }

    private List<String> pending() {
        Instant now = clock.instant();
        SchemaCheck last = lastSchemaCheck;
        if (last == null || now.isAfter(last.at().plus(SCHEMA_CHECK_INTERVAL)) || !last.pending().isEmpty()) {
            last = new SchemaCheck(now, List.copyOf(pendingMigrations.get()));
            lastSchemaCheck = last;
        }
        return last.pending();
    }

    private record SchemaCheck(Instant at, List<String> pending) {}
}
