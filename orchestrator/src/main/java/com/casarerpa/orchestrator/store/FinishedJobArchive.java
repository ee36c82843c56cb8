package com.casarerpa.orchestrator.store;

import static com.casarerpa.orchestrator.store.Jdbi3.instant;
import static com.casarerpa.orchestrator.store.Jdbi3.ts;

import com.casarerpa.orchestrator.domain.Job;
import com.casarerpa.orchestrator.domain.JobAttempt;
import com.casarerpa.orchestrator.domain.JobLogEntry;
import com.casarerpa.orchestrator.store.ExpiredRows.JobCursor;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Finished jobs of a time range (by {@code finished_at}: from {@code from}, inclusive, to
 * {@code before}, exclusive), oldest first, a chunk at a time by keyset on (finished_at, id)
 * through {@code jobs_retention}, with their attempts and logs: what {@code export-jobs} writes
 * before retention purges it. The same order as the purge, so an export up to a cutoff holds every
 * job a purge with that cutoff deletes.
 */
public final class FinishedJobArchive {
    private final Jdbi jdbi;

    public FinishedJobArchive(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** A finished job with its attempts and its log lines, each oldest first. */
    public record Entry(Job job, List<JobAttempt> attempts, List<JobLogEntry> logs) {}

    /** One chunk, and where the next one starts (empty: this was the last). */
    public record Chunk(List<Entry> entries, Optional<JobCursor> next) {}

    /** How many finished jobs the range holds. */
    public long count(Optional<Instant> from, Instant before) {
        return Jdbi3.call("job archive", () -> jdbi.withHandle(h -> {
            var q = h.createQuery("SELECT COUNT(*) FROM jobs WHERE " + range(from));
            bindRange(q, from, before);
            return q.mapTo(Long.class).one();
        }));
    }

    /** The next {@code limit} finished jobs of the range after {@code after}. */
    public Chunk read(Optional<Instant> from, Instant before, int limit, Optional<JobCursor> after) {
        return Jdbi3.call("job archive", () -> jdbi.inTransaction(h -> {
            var q = h.createQuery("SELECT id, finished_at FROM jobs WHERE " + range(from) + (after.isPresent()
                    ? " AND finished_at >= :afterAt AND (finished_at > :afterAt OR (finished_at = :afterAt AND id > :afterId))" : "")
                    + " ORDER BY finished_at, id LIMIT :limit").bind("limit", limit);
            bindRange(q, from, before);
            after.ifPresent(c -> q.bind("afterAt", ts(c.finishedAt())).bind("afterId", c.id()));
            List<JobCursor> keys = q.map((rs, ctx) -> new JobCursor(instant(rs.getObject(2)).orElseThrow(), rs.getString(1))).list();
            if (keys.isEmpty()) {
                return new Chunk(List.of(), Optional.empty());
            }
            List<String> ids = keys.stream().map(JobCursor::id).toList();
            Map<String, Job> jobs = JobStore.read(h, ids).stream().collect(Collectors.toMap(Job::id, Function.identity()));
            Map<String, List<JobAttempt>> attempts = byJob(h, "SELECT " + JobHistory.ATTEMPT_COLUMNS
                    + " FROM job_attempts WHERE job_id IN (<ids>) ORDER BY job_id, attempt", ids, JobHistory::attempt, JobAttempt::jobId);
            Map<String, List<JobLogEntry>> logs = byJob(h, "SELECT " + JobHistory.LOG_COLUMNS
                    + " FROM job_logs WHERE job_id IN (<ids>) ORDER BY job_id, id", ids, JobHistory::log, JobLogEntry::jobId);
            List<Entry> entries = new ArrayList<>();
            for (String id : ids) {
                Job job = jobs.get(id);
                if (job != null) { // purged between the two reads
                    entries.add(new Entry(job, attempts.getOrDefault(id, List.of()), logs.getOrDefault(id, List.of())));
                }
            }
            return new Chunk(entries, keys.size() < limit ? Optional.empty() : Optional.of(keys.getLast()));
        }));
    }

    private static String range(Optional<Instant> from) {
        return ExpiredRows.FINISHED + " AND finished_at IS NOT NULL AND finished_at < :before"
                + (from.isPresent() ? " AND finished_at >= :from" : "");
    }

    private static void bindRange(org.jdbi.v3.core.statement.Query q, Optional<Instant> from, Instant before) {
        q.bind("before", ts(before));
        from.ifPresent(f -> q.bind("from", ts(f)));
    }

    @FunctionalInterface
    private interface Row<T> {
        T map(java.sql.ResultSet rs) throws java.sql.SQLException;
    }

    private static <T> Map<String, List<T>> byJob(Handle h, String sql, List<String> ids, Row<T> row, Function<T, String> jobOf) {
        Map<String, List<T>> out = new HashMap<>();
        h.createQuery(sql).bindList("ids", ids).map((rs, ctx) -> row.map(rs))
                .forEach(t -> out.computeIfAbsent(jobOf.apply(t), k -> new ArrayList<>()).add(t));
        return out;
    }
}
