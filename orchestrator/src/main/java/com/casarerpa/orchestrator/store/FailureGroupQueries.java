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
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

/**
 * The failed and timed-out jobs grouped by {@code error_signature}, largest group first: a read
 * of the {@code jobs_finished} index over a window of finish times, grouped by the
 * stored signature (signed when each job failed), so no message is parsed per request.
 */
public final class FailureGroupQueries {
    /** Signatures per statement when every group is read. */
    static final int CHUNK = 500;

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
        JobConditions where = conditions(filter, since, until);
        return Jdbi3.call("failure groups", () -> jdbi.inTransaction(h -> details(h, where, totals(h, where, OptionalInt.of(limit)))));
    }

    /**
     * Every group of {@link #groups}, largest first, handed to {@code each} {@value #CHUNK} at a
     * time: the totals in one statement, then each chunk's workflows and samples in statements of
     * their own, so no statement names more than {@value #CHUNK} signatures and {@code each} (an
     * answer being written) holds no connection.
     */
    public void eachGroup(JobFilter filter, Optional<Instant> since, Optional<Instant> until, Consumer<List<Group>> each) {
        JobConditions where = conditions(filter, since, until);
        List<Total> totals = Jdbi3.call("failure groups", () -> jdbi.withHandle(h -> totals(h, where, OptionalInt.empty())));
        for (int from = 0; from < totals.size(); from += CHUNK) {
            List<Total> chunk = totals.subList(from, Math.min(totals.size(), from + CHUNK));
            each.accept(Jdbi3.call("failure groups", () -> jdbi.withHandle(h -> details(h, where, chunk))));
        }
    }

    /** A group's size, first and last failure and newest job, before its details are read. */
    private record Total(String signature, long count, Instant first, Instant last, String sample) {}

    private static JobConditions conditions(JobFilter filter, Optional<Instant> since, Optional<Instant> until) {
        JobConditions where = JobConditions.of(filter.withStates(Set.of(JobState.FAILED, JobState.TIMED_OUT)))
                .and(" AND error_signature IS NOT NULL AND error_signature <> :unsigned", q -> q.bind("unsigned",
                        FailureSignatures.UNSIGNED));
        since.ifPresent(v -> where.and(" AND finished_at >= :finishedSince", q -> q.bind("finishedSince", ts(v))));
        until.ifPresent(v -> where.and(" AND finished_at < :finishedUntil", q -> q.bind("finishedUntil", ts(v))));
        return where;
    }

    private static List<Total> totals(Handle h, JobConditions where, OptionalInt limit) {
        Query q = h.createQuery("SELECT error_signature, COUNT(*), MIN(finished_at), MAX(finished_at), MAX(id) FROM jobs"
                + " WHERE 1 = 1" + where.sql() + " GROUP BY error_signature ORDER BY COUNT(*) DESC, MAX(finished_at) DESC,"
                + " error_signature" + (limit.isPresent() ? " LIMIT :limit" : ""));
        limit.ifPresent(n -> q.bind("limit", n));
        where.bind(q);
        return q.map((rs, ctx) -> new Total(rs.getString(1), rs.getLong(2), instant(rs.getObject(3)).orElseThrow(),
                instant(rs.getObject(4)).orElseThrow(), rs.getString(5))).list();
    }

    /** The groups of {@code totals}, with their workflows and their newest job's error. */
    private static List<Group> details(Handle h, JobConditions where, List<Total> totals) {
        if (totals.isEmpty()) {
            return List.of();
        }
        Map<String, Map<String, String>> workflows = workflows(h, where, totals.stream().map(Total::signature).toList());
        Map<String, String[]> samples = new HashMap<>();
        h.createQuery("SELECT id, error_type, error_message FROM jobs WHERE id IN (<ids>)")
                .bindList("ids", totals.stream().map(Total::sample).toList())
                .map((rs, ctx) -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3)})
                .forEach(r -> samples.put(r[0], r));
        List<Group> groups = new ArrayList<>();
        for (Total t : totals) {
            String[] sample = samples.getOrDefault(t.sample(), new String[3]);
            groups.add(new Group(t.signature(), t.count(), t.first(), t.last(), t.sample(),
                    workflows.getOrDefault(t.signature(), Map.of()), Optional.ofNullable(sample[1]), Optional.ofNullable(sample[2])));
        }
        return groups;
    }

    /**
     * The workflows (id → name, by id) of each group: the distinct pairs first, then their names,
     * so the join is over a few pairs whatever plan the failures are read with.
     */
    private static Map<String, Map<String, String>> workflows(Handle h, JobConditions where, List<String> signatures) {
        Query q = h.createQuery("SELECT j.error_signature, j.workflow_id, w.name FROM (SELECT DISTINCT error_signature, workflow_id"
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
