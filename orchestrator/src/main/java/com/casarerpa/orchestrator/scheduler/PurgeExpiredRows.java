package com.casarerpa.orchestrator.scheduler;

import com.casarerpa.orchestrator.config.OrchestratorSettings;
import com.casarerpa.orchestrator.metrics.RetentionMetrics;
import com.casarerpa.orchestrator.store.ExpiredRows;
import com.casarerpa.orchestrator.store.MaintenanceLease;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pass of retention (docs/operations.md, "Retention"): when this instance can take the
 * {@code retention} lease, it deletes, batch after batch, the finished jobs (with their logs,
 * attempts, tags and requirements), the spent batch keys and bulk actions past
 * {@code retention.jobs_days}, the schedule fires past {@code schedule_fires_days} and the audit
 * events past {@code audit_days} ({@link ExpiredRows} says what always stays), then gives the
 * lease back. Another instance's pass meanwhile finds the lease held and does nothing: every
 * instance runs the loop, one at a time purges. Each batch is one short transaction that renews
 * the lease; rows are counted in {@code casare_retention_purged_rows_total}.
 */
public final class PurgeExpiredRows {
    private static final Logger log = LoggerFactory.getLogger(PurgeExpiredRows.class);
    /** The lease's length: far longer than one batch (bounded by the statement timeout), renewed by each. */
    public static final Duration LEASE = Duration.ofMinutes(5);

    private final ExpiredRows rows;
    private final MaintenanceLease lease;
    private final OrchestratorSettings.Retention settings;
    private final Clock clock;
    private final RetentionMetrics metrics;

    public PurgeExpiredRows(ExpiredRows rows, MaintenanceLease lease, OrchestratorSettings.Retention settings, Clock clock,
            RetentionMetrics metrics) {
        this.rows = rows;
        this.lease = lease;
        this.settings = settings;
        this.clock = clock;
        this.metrics = metrics;
    }

    /**
     * What a pass did.
     *
     * @param ran     false when another instance held the lease (nothing was deleted)
     * @param purged  rows deleted per table
     * @param batches transactions that deleted
     * @param longest the longest of them
     */
    public record Outcome(boolean ran, Map<String, Integer> purged, int batches, Duration longest) {
        public int total() {
            return purged.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    /** Purges what is past its age, unless another instance holds the lease. */
    public Outcome run() {
        if (!lease.acquire()) {
            log.debug("retention: another instance holds the lease ({}); not purging", lease.holder().orElse("expired meanwhile"));
            return new Outcome(false, Map.of(), 0, Duration.ZERO);
        }
        Tally tally = new Tally();
        try {
            Instant now = clock.instant();
            cutoff(now, settings.jobsDays()).ifPresent(before -> {
                Optional<ExpiredRows.JobCursor> at = Optional.empty();
                do {
                    Optional<ExpiredRows.JobCursor> after = at;
                    ExpiredRows.JobBatch b = tally.timed(() -> rows.purgeJobs(lease, before, settings.batchSize(), after));
                    b.deleted().forEach(tally::add);
                    at = b.next();
                } while (at.isPresent() && going());
                Optional<ExpiredRows.KeyCursor> key = Optional.empty();
                do {
                    Optional<ExpiredRows.KeyCursor> after = key;
                    ExpiredRows.KeyBatch b = tally.timed(() -> rows.purgeBatchKeys(lease, before, settings.batchSize(), after));
                    tally.add("job_batches", b.deleted());
                    key = b.next();
                } while (key.isPresent() && going());
                inBatches(tally, "job_bulk_actions", () -> rows.purgeBulkActions(lease, before, settings.batchSize()));
            });
            cutoff(now, settings.scheduleFiresDays()).ifPresent(before -> inBatches(tally, "schedule_fires",
                    () -> rows.purgeScheduleFires(lease, before, settings.batchSize())));
            cutoff(now, settings.auditDays()).ifPresent(before -> inBatches(tally, "audit_events",
                    () -> rows.purgeAuditEvents(lease, before, settings.batchSize())));
        } catch (MaintenanceLease.LostException e) {
            // Stalled past the lease (a long pause): another instance took it over and goes on; this batch rolled back.
            log.warn("retention: {}; another instance took the purge over, this pass ends", e.getMessage());
        } finally {
            lease.release();
        }
        if (!tally.purged.isEmpty()) {
            log.info("retention: purged {} in {} batch(es), the longest {} ms", tally.purged, tally.batches, tally.longest.toMillis());
        }
        return new Outcome(true, Map.copyOf(tally.purged), tally.batches, tally.longest);
    }

    /** Everything older than {@code days} before {@code now}; empty for 0 (kept for ever). */
    private static Optional<Instant> cutoff(Instant now, int days) {
        return days == 0 ? Optional.empty() : Optional.of(now.minus(Duration.ofDays(days)));
    }

    private void inBatches(Tally tally, String table, Supplier<Integer> batch) {
        int deleted;
        do {
            deleted = tally.timed(batch);
            tally.add(table, deleted);
        } while (deleted == settings.batchSize() && going());
    }

    /** False once the loop is closing (the instance stops): the pass ends after its current batch. */
    private static boolean going() {
        return !Thread.currentThread().isInterrupted();
    }

    /** What a pass has done so far; each table's rows go to the metric as they are deleted. */
    private final class Tally {
        final Map<String, Integer> purged = new LinkedHashMap<>();
        int batches;
        Duration longest = Duration.ZERO;

        <T> T timed(Supplier<T> batch) {
            long start = System.nanoTime();
            T result = batch.get();
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            batches++;
            longest = took.compareTo(longest) > 0 ? took : longest;
            metrics.batch(took);
            return result;
        }

        void add(String table, int n) {
            if (n > 0) {
                purged.merge(table, n, Integer::sum);
                metrics.purged(table, n);
            }
        }
    }
}
