package com.casarerpa.orchestrator.store;

import com.casarerpa.orchestrator.domain.JobState;
import com.casarerpa.orchestrator.events.Change;
import com.casarerpa.orchestrator.events.ChangeEvents;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;

/**
 * What robots logged while running a job, one row per entry. Each entry carries its position in
 * the attempt ({@code seq}), and an entry is stored once per {@code (job, attempt, seq)}, so a
 * batch sent again after a broken connection duplicates nothing. Entries are accepted under a
 * live lease and under a lease its robot ended with a final report (late flushes); a first
 * entry under an assigned lease means the job runs.
 */
public final class JobLogs {
    private final Jdbi jdbi;
    private final ChangeEvents events;

    /** Logs whose implicit start publishes no change event (commands, tests). */
    public JobLogs(Jdbi jdbi) {
        this(jdbi, ChangeEvents.none());
    }

    public JobLogs(Jdbi jdbi, ChangeEvents events) {
        this.jdbi = jdbi;
        this.events = events;
    }

    public record Entry(long seq, Instant timestamp, String level, String message, Optional<String> nodeId,
            Optional<String> nodeType) {}

    /** How many entries were new, and how many were already stored. */
    public record Appended(int accepted, int duplicates) {}

    /**
     * Stores the entries of one attempt (named by its lease token).
     *
     * @throws StaleLeaseException when the token is neither the live lease nor one its robot ended by reporting
     */
    public Appended append(String jobId, String token, List<Entry> entries) {
        return Jdbi3.call("job logs", () -> jdbi.inTransaction(h -> {
            // The job's row lock orders concurrent batches of one job (a resend racing the original).
            Optional<String> folder = h.createQuery("SELECT folder_id FROM jobs WHERE id = :id FOR UPDATE").bind("id", jobId)
                    .mapTo(String.class).findOne();
            Optional<Integer> attempt = h.createQuery("SELECT a.attempt FROM job_attempts a JOIN jobs j ON j.id = a.job_id"
                            + " WHERE a.job_id = :id AND a.lease_token = :token AND ((j.lease_token = a.lease_token"
                            + " AND " + JobTransitions.leased("j") + ") OR a.outcome IN ('succeeded', 'failed', 'cancelled', 'timed_out'))")
                    .bind("id", jobId).bind("token", token).mapTo(Integer.class).findOne();
            if (attempt.isEmpty()) {
                throw new StaleLeaseException(jobId, "the log batch of job " + jobId + " was refused: lease " + token
                        + " is not live and did not end by its robot's report; nothing was stored");
            }
            if (h.createUpdate(JobTransitions.start(false)).bind("id", jobId).bind("token", token).execute() == 1) {
                JobTransitions.moved(h, events, JobTransitions.START, JobState.ASSIGNED, jobId, folder.orElseThrow());
            }
            Set<Long> stored = new HashSet<>(h.createQuery("SELECT seq FROM job_logs WHERE job_id = :id AND attempt = :attempt"
                            + " AND seq IN (<seqs>)")
                    .bind("id", jobId).bind("attempt", attempt.get())
                    .bindList("seqs", entries.stream().map(Entry::seq).toList())
                    .mapTo(Long.class).list());
            var insert = h.prepareBatch("INSERT INTO job_logs (job_id, attempt, seq, logged_at, level, node_id, node_type, message)"
                    + " VALUES (:job, :attempt, :seq, :at, :level, :node, :type, :message)");
            int accepted = 0;
            for (Entry e : entries) {
                if (stored.add(e.seq())) {
                    insert.bind("job", jobId).bind("attempt", attempt.get()).bind("seq", e.seq())
                            .bind("at", Jdbi3.ts(e.timestamp()))
                            .bind("level", e.level()).bind("node", e.nodeId().orElse(null))
                            .bind("type", e.nodeType().orElse(null)).bind("message", e.message()).add();
                    accepted++;
                }
            }
            if (accepted > 0) {
                // One change per stored batch, naming its newest line, for those tailing the log live.
                long newest = insert.executePreparedBatch("id").mapTo(Long.class).stream().mapToLong(Long::longValue).max()
                        .orElseThrow();
                folder.ifPresent(f -> events.afterCommit(h, Change.log(jobId, f, newest)));
            }
            return new Appended(accepted, entries.size() - accepted);
        }));
    }

    /** A stored entry, for reading a job's log. */
    public record Stored(int attempt, long seq, Instant loggedAt, String level, String message, Optional<String> nodeId) {}

    /** The entries of a job, in order. */
    public List<Stored> of(String jobId) {
        return Jdbi3.call("job logs", () -> jdbi.withHandle(h -> h.createQuery("SELECT attempt, seq, logged_at, level, message,"
                        + " node_id FROM job_logs WHERE job_id = :id ORDER BY attempt, seq, id")
                .bind("id", jobId)
                .map((rs, ctx) -> new Stored(rs.getInt(1), rs.getLong(2), Jdbi3.instant(rs.getObject(3)).orElseThrow(),
                        rs.getString(4), rs.getString(5), Optional.ofNullable(rs.getString(6))))
                .list()));
    }
}
