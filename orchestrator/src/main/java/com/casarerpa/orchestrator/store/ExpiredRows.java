package com.casarerpa.orchestrator.store;

import static com.casarerpa.orchestrator.store.Jdbi3.instant;
import static com.casarerpa.orchestrator.store.Jdbi3.ts;

import com.casarerpa.orchestrator.domain.JobState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The statements of retention (docs/operations.md, "Retention"): each method deletes one bounded
 * batch of rows older than a cutoff, in one short transaction that first renews the
 * {@link MaintenanceLease} (so batches of two instances never overlap) and rolls back when the
 * lease was lost. What must stay, stays:
 * <ul>
 *   <li>a job goes only when it is finished (succeeded, failed, cancelled, timed out) and finished
 *   before the cutoff; it is locked first, so a retry at that moment either waits and finds it gone
 *   or keeps it (the condition is checked again under the lock); the latest job of a schedule
 *   ({@code schedules.last_job_id}) stays. Its logs, attempts, tags and requirements go with it,
 *   explicitly, in the same transaction (nothing is left to a cascade of unknown size). Its
 *   idempotency key goes with it: a key answers repeats as long as its job is kept.
 *   {@code schedule_fires.job_id} has no foreign key on purpose: the fire history outlives jobs.
 *   <li>a batch's idempotency key ({@code job_batches}) goes when it is older than the cutoff and
 *   none of its jobs is left;
 *   <li>schedule fires and audit events go by their time alone: nothing refers to them.
 * </ul>
 */
public final class ExpiredRows {
    static final String FINISHED = JobTransitions.stateIn("", EnumSet.of(JobState.SUCCEEDED, JobState.FAILED,
            JobState.CANCELLED, JobState.TIMED_OUT));
    /** The tables that hang off a job, deleted before it (their foreign keys cascade, but not in bounded steps). */
    public static final List<String> JOB_CHILDREN = List.of("job_logs", "job_attempts", "job_tags", "job_requirements");

    private final Jdbi jdbi;
    private final Dialect dialect;

    public ExpiredRows(Jdbi jdbi, Dialect dialect) {
        this.jdbi = jdbi;
        this.dialect = dialect;
    }

    /** Where a walk of finished jobs has got to: the last (finished_at, id) it looked at. */
    public record JobCursor(Instant finishedAt, String id) {}

    /**
     * One batch of finished jobs.
     *
     * @param looked  the jobs looked at (at most the limit)
     * @param deleted rows deleted per table ({@code jobs} and {@link #JOB_CHILDREN}), in that order
     * @param next    where the next batch starts; empty when this one reached the cutoff
     */
    public record JobBatch(int looked, Map<String, Integer> deleted, Optional<JobCursor> next) {
        public int jobs() {
            return deleted.getOrDefault("jobs", 0);
        }
    }

    /**
     * Deletes the jobs that finished before {@code before} among the next {@code limit} of them
     * after {@code after} (oldest first, through {@code jobs_retention}), with everything that
     * hangs off them. The walk moves on past jobs that stay (a schedule's latest, one locked by a
     * retry), so each is looked at once per walk.
     */
    public JobBatch purgeJobs(MaintenanceLease lease, Instant before, int limit, Optional<JobCursor> after) {
        return Jdbi3.call("retention: jobs", () -> jdbi.inTransaction(h -> {
            lease.renewWithin(h);
            var candidates = h.createQuery("SELECT id, finished_at FROM jobs WHERE finished_at IS NOT NULL"
                            + " AND finished_at < :before" + (after.isPresent()
                            ? " AND finished_at >= :afterAt AND (finished_at > :afterAt OR (finished_at = :afterAt AND id > :afterId))" : "")
                            + " ORDER BY finished_at, id LIMIT :limit")
                    .bind("before", ts(before)).bind("limit", limit);
            after.ifPresent(c -> candidates.bind("afterAt", ts(c.finishedAt())).bind("afterId", c.id()));
            List<JobCursor> looked = candidates.map((rs, ctx) -> new JobCursor(instant(rs.getObject(2)).orElseThrow(), rs.getString(1)))
                    .list();
            Map<String, Integer> deleted = new LinkedHashMap<>();
            if (!looked.isEmpty()) {
                deleteJobs(h, locked(h, looked.stream().map(JobCursor::id).toList(), before), deleted);
            }
            return new JobBatch(looked.size(), deleted, looked.size() < limit ? Optional.empty() : Optional.of(looked.getLast()));
        }));
    }

    /** Those of {@code ids} that may go, locked (on PostgreSQL, rows another transaction holds are skipped). */
    private List<String> locked(Handle h, List<String> ids, Instant before) {
        return h.createQuery("SELECT id FROM jobs WHERE id IN (<ids>) AND " + FINISHED + " AND finished_at < :before"
                        + " AND id NOT IN (SELECT last_job_id FROM schedules WHERE last_job_id IS NOT NULL)"
                        + " FOR UPDATE" + (dialect == Dialect.POSTGRESQL ? " SKIP LOCKED" : ""))
                .bindList("ids", ids).bind("before", ts(before))
                .mapTo(String.class).list();
    }

    private static void deleteJobs(Handle h, List<String> ids, Map<String, Integer> deleted) {
        deleted.put("jobs", 0);
        if (ids.isEmpty()) {
            return;
        }
        for (String child : JOB_CHILDREN) {
            deleted.put(child, h.createUpdate("DELETE FROM " + child + " WHERE job_id IN (<ids>)").bindList("ids", ids).execute());
        }
        deleted.put("jobs", h.createUpdate("DELETE FROM jobs WHERE id IN (<ids>)").bindList("ids", ids).execute());
    }

    /** Deletes up to {@code limit} schedule fires made before {@code before}; how many. */
    public int purgeScheduleFires(MaintenanceLease lease, Instant before, int limit) {
        return Jdbi3.call("retention: schedule fires", () -> jdbi.inTransaction(h -> {
            lease.renewWithin(h);
            record Fire(String schedule, Object at) {}
            List<Fire> fires = h.createQuery("SELECT schedule_id, scheduled_at FROM schedule_fires"
                            + " WHERE fired_at < :before AND scheduled_at < :before ORDER BY fired_at LIMIT :limit")
                    .bind("before", ts(before)).bind("limit", limit)
                    .map((rs, ctx) -> new Fire(rs.getString(1), rs.getObject(2))).list();
            if (fires.isEmpty()) {
                return 0;
            }
            var batch = h.prepareBatch("DELETE FROM schedule_fires WHERE schedule_id = :schedule AND scheduled_at = :at");
            fires.forEach(f -> batch.bind("schedule", f.schedule()).bind("at", ts(instant(f.at()).orElseThrow())).add());
            int total = 0;
            for (int n : batch.execute()) {
                total += Math.max(0, n);
            }
            return total;
        }));
    }

    /** Deletes up to {@code limit} audit events that occurred before {@code before} (through {@code audit_events_time}); how many. */
    public int purgeAuditEvents(MaintenanceLease lease, Instant before, int limit) {
        return Jdbi3.call("retention: audit events", () -> jdbi.inTransaction(h -> {
            lease.renewWithin(h);
            return BoundedDelete.run(h, "audit_events", "id", Long.class, "occurred_at < :before", ts(before), limit);
        }));
    }

    /** Deletes up to {@code limit} bulk actions (retry, cancel of jobs in bulk) that ended before {@code before}; how many. */
    public int purgeBulkActions(MaintenanceLease lease, Instant before, int limit) {
        return Jdbi3.call("retention: bulk actions", () -> jdbi.inTransaction(h -> {
            lease.renewWithin(h);
            return BoundedDelete.run(h, "job_bulk_actions", "id", "status <> 'running' AND finished_at < :before", ts(before), limit);
        }));
    }

    /** Where a walk of batch keys has got to: the last (scope, key) it looked at. */
    public record KeyCursor(String scope, String key) {}

    /** One batch of batch keys: how many were looked at and deleted, and where the next batch starts (empty: done). */
    public record KeyBatch(int looked, int deleted, Optional<KeyCursor> next) {}

    /**
     * Deletes the idempotency keys of job batches made before {@code before} whose jobs are all
     * gone, among the next {@code limit} keys after {@code after}: while one of its jobs is kept,
     * a key still answers a repeat of its batch.
     */
    public KeyBatch purgeBatchKeys(MaintenanceLease lease, Instant before, int limit, Optional<KeyCursor> after) {
        return Jdbi3.call("retention: batch keys", () -> jdbi.inTransaction(h -> {
            lease.renewWithin(h);
            record Key(String scope, String key, String jobIds) {}
            var q = h.createQuery("SELECT scope, idempotency_key, job_ids FROM job_batches WHERE created_at < :before"
                            + (after.isPresent() ? " AND (scope > :scope OR (scope = :scope AND idempotency_key > :key))" : "")
                            + " ORDER BY scope, idempotency_key LIMIT :limit")
                    .bind("before", ts(before)).bind("limit", limit);
            after.ifPresent(c -> q.bind("scope", c.scope()).bind("key", c.key()));
            List<Key> keys = q.map((rs, ctx) -> new Key(rs.getString(1), rs.getString(2), rs.getString(3))).list();
            List<Key> spent = new ArrayList<>();
            for (Key k : keys) {
                List<String> ids = JobRows.strings(k.jobIds());
                if (ids.isEmpty() || h.createQuery("SELECT COUNT(*) FROM jobs WHERE id IN (<ids>)").bindList("ids", ids)
                        .mapTo(Integer.class).one() == 0) {
                    spent.add(k);
                }
            }
            int deleted = 0;
            for (Key k : spent) {
                deleted += h.createUpdate("DELETE FROM job_batches WHERE scope = :scope AND idempotency_key = :key")
                        .bind("scope", k.scope()).bind("key", k.key()).execute();
            }
            Optional<KeyCursor> next = keys.size() < limit ? Optional.empty()
                    : Optional.of(new KeyCursor(keys.getLast().scope(), keys.getLast().key()));
            return new KeyBatch(keys.size(), deleted, next);
        }));
    }
}
