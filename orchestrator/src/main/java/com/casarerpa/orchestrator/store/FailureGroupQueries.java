package com.casarerpa.orchestrator.store;

import static com.casarerpa.orchestrator.store.Jdbi3.instant;
import static com.casarerpa.orchestrator.store.Jdbi3.ts;

import com.casarerpa.orchestrator.domain.JobFilter;
import com.casarerpa.orchestrator.domain.JobState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

/**
 * The failed and timed-out jobs grouped by {@code error_signature}, largest group first: a read
 * of the {@code jobs_finished_by_state} index over a window of finish times, grouped by the
 * stored signature (signed when each job failed), so no message is parsed per request.
 */
public final class FailureGroupQueries {
    private final Jdbi jdbi;

    public FailureGroupQueries(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** A group: its signature, size, first and last failure, the newest job, its workflows (id → name) and that job's error. */
    public record Group(String signature, long count, Instant firstAt, Instant lastAt, String sampleJobId,
            Map<String, String> workflows, Optional<String> sampleType, Optional<String> sampleMessage) {}

    /**
     * The {@code limit} largest groups of the jobs that ended failed or timed out in
     * {@code [since, until)} (finish time) and match {@code filter}'s workflow and folders.
     */
    public List<Group> groups(JobFilter filter, Optional<Instant> since, Optional<Instant> until, int limit) {
        JobConditions where = JobConditions.of(filter.withStates(Set.of(JobState.FAILED, JobState.TIMED_OUT)))
                .and(" AND error_signature IS NOT NULL AND error_signature <> :unsigned", q -> q.bind("unsigned",
                        FailureSignatures.UNSIGNED));
        since.ifPresent(v -> where.and(" AND finished_at >= :finishedSince", q -> q.bind("finishedSince", ts(v))));
        until.ifPresent(v -> where.and(" AND finished_at < :finishedUntil", q -> q.bind("finishedUntil", ts(v))));
        return Jdbi3.call("failure groups", () -> jdbi.inTransaction(h -> {
            record Row(String signature, long count, Instant first, Instant last, String sample) {}
            Query q = h.createQuery("SELECT error_signature, COUNT(*), MIN(finished_at), MAX(finished_at), MAX(id) FROM jobs"
                    + " WHERE 1 = 1" + where.sql() + " GROUP BY error_signature ORDER BY COUNT(*) DESC, MAX(finished_at) DESC,"
                    + " error_signature LIMIT :limit").bind("limit", limit);
            where.bind(q);
            List<Row> rows = q.map((rs, ctx) -> new Row(rs.getString(1), rs.getLong(2), instant(rs.getObject(3)).orElseThrow(),
                    instant(rs.getObject(4)).orElseThrow(), rs.getString(5))).list();
            if (rows.isEmpty()) {
                return List.<Group>of();
            }
            List<String> signatures = rows.stream().map(Row::signature).toList();
            Map<String, Map<String, String>> workflows = workflows(h, where, signatures);
            Map<String, String[]> samples = new HashMap<>();
            h.createQuery("SELECT id, error_type, error_message FROM jobs WHERE id IN (<ids>)")
                    .bindList("ids", rows.stream().map(Row::sample).toList())
                    .map((rs, ctx) -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3)})
                    .forEach(r -> samples.put(r[0], r));
            List<Group> groups = new ArrayList<>();
            for (Row r : rows) {
                String[] sample = samples.getOrDefault(r.sample(), new String[3]);
                groups.add(new Group(r.signature(), r.count(), r.first(), r.last(), r.sample(),
                        workflows.getOrDefault(r.signature(), Map.of()), Optional.ofNullable(sample[1]),
                        Optional.ofNullable(sample[2])));
            }
            return groups;
        }));
    }

    /** The workflows (id → name, by id) of each group. */
    private static Map<String, Map<String, String>> workflows(Handle h, JobConditions where, List<String> signatures) {
        Query q = h.createQuery("SELECT DISTINCT j.error_signature, j.workflow_id, w.name FROM (SELECT error_signature, workflow_id"
                + " FROM jobs WHERE 1 = 1" + where.sql() + " AND error_signature IN (<signatures>)) j"
                + " LEFT JOIN workflows w ON w.id = j.workflow_id ORDER BY j.error_signature, j.workflow_id")
                .bindList("signatures", signatures);
        where.bind(q);
        Map<String, Map<String, String>> bySignature = new HashMap<>();
        q.map((rs, ctx) -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3)})
                .forEach(r -> bySignature.computeIfAbsent(r[0], k -> new LinkedHashMap<>()).put(r[1], r[2] == null ? r[1] : r[2]));
        return bySignature;
    }
}
