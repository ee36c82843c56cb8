package com.casarerpa.orchestrator.store;

import com.casarerpa.orchestrator.domain.ErrorSignature;
import com.casarerpa.orchestrator.domain.JobState;
import com.casarerpa.orchestrator.domain.JobTimeout;
import com.casarerpa.orchestrator.domain.LeaseEnd;
import com.casarerpa.orchestrator.domain.RetryPolicy;
import com.casarerpa.orchestrator.events.ChangeEvents;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * What robots report about leased jobs, and the operator's cancel. Every report names the job
 * and the lease token; it changes the job only while that token is the job's live lease. A
 * report repeated after it took effect (the same outcome under the same token) is accepted and
 * changes nothing; any other report under a dead lease is a {@link StaleLeaseException}.
 * {@link #close()} commits the grouped reports already accepted (before the pool closes).
 */
public final class JobReports implements AutoCloseable {
    private final Jdbi jdbi;
    private final Dialect dialect;
    private final RetryPolicy retries;
    private final RandomGenerator random;
    private final GroupedReports grouped;
    private final GroupedHeartbeats heartbeats;
    private final ChangeEvents events;

    /** Reports that publish no change events (commands, tests). */
    public JobReports(Jdbi jdbi, Dialect dialect, RetryPolicy retries, RandomGenerator random) {
        this(jdbi, dialect, retries, random, ChangeEvents.none());
    }

    /** @param events where each committed change of a job's state is published */
    public JobReports(Jdbi jdbi, Dialect dialect, RetryPolicy retries, RandomGenerator random, ChangeEvents events) {
        this.jdbi = jdbi;
        this.dialect = dialect;
        this.retries = retries;
        this.random = random;
        this.events = events;
        this.grouped = new GroupedReports(jdbi, dialect, events);
        this.heartbeats = new GroupedHeartbeats(jdbi, dialect, events);
    }

    /** Where these reports publish job changes (the other job stores of the instance publish there too). */
    public ChangeEvents events() {
        return events;
    }

    /**
     * The fast path of {@link #started} and {@link #completed}: applied only while the token is
     * the job's live lease and the report's robot holds it, committed with the other reports of
     * the moment ({@link GroupedReports}); otherwise nothing changes and the outcome tells why.
     */
    public java.util.concurrent.CompletableFuture<GroupedReports.Outcome> grouped(GroupedReports.Report report) {
        return grouped.submit(report);
    }

    /**
     * A WebSocket robot's heartbeat: its row and the renewals of the leases it lists, committed
     * with the heartbeats of other robots of the moment ({@link GroupedHeartbeats}).
     */
    public java.util.concurrent.CompletableFuture<GroupedHeartbeats.Outcome> heartbeat(GroupedHeartbeats.Heartbeat heartbeat) {
        return heartbeats.submit(heartbeat);
    }

    /** Refuses further grouped reports and heartbeats and waits for those accepted to commit. */
    @Override
    public void close() {
        grouped.close();
        heartbeats.close();
    }

    /** The robot began running the job: assigned → running. */
    public void started(String jobId, String token) {
        change(jobId, token, "started", h -> {
            int n = h.createUpdate(JobTransitions.start(false)).bind("id", jobId).bind("token", token).execute();
            if (n == 1) {
                h.createUpdate("UPDATE job_attempts SET started_at = CURRENT_TIMESTAMP WHERE job_id = :id AND lease_token = :token")
                        .bind("id", jobId).bind("token", token).execute();
                JobTransitions.moved(h, events, JobTransitions.START, JobState.ASSIGNED, jobId);
                return true;
            }
            // Already running under this lease: a repeated report.
            return leaseIsLive(h, jobId, token) && JobState.RUNNING.wireName().equals(state(h, jobId));
        });
    }

    /** Keeps the lease alive for {@code seconds} from now (database clock). */
    public void extend(String jobId, String token, int seconds) {
        change(jobId, token, "lease extension", h -> h.createUpdate(JobTransitions.onLiveLease("lease_expires_at = "
                        + dialect.nowPlusSeconds("seconds") + ", updated_at = CURRENT_TIMESTAMP", false))
                .bind("id", jobId).bind("token", token).bind("seconds", seconds).execute() == 1);
    }

    /**
     * Renews several leases of one robot at once (a heartbeat). Returns the jobs whose lease was
     * not live any more: the robot must stop them.
     */
    public List<String> renew(String robotId, Map<String, String> tokensByJob, int seconds) {
        if (tokensByJob.isEmpty()) {
            return List.of();
        }
        List<Map.Entry<String, String>> entries = List.copyOf(tokensByJob.entrySet());
        int[] counts = Jdbi3.call("job leases", () -> jdbi.inTransaction(h -> {
            var batch = h.prepareBatch(JobTransitions.renew(dialect));
            entries.forEach(e -> batch.bind("id", e.getKey()).bind("token", e.getValue()).bind("robot", robotId)
                    .bind("seconds", seconds).add());
            return batch.execute();
        }));
        java.util.ArrayList<String> lost = new java.util.ArrayList<>();
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] == 0) {
                lost.add(entries.get(i).getKey());
            }
        }
        return lost;
    }

    public void progress(String jobId, String token, int percent) {
        change(jobId, token, "progress", h -> h.createUpdate(JobTransitions.onLiveLease(
                        "progress = :p, updated_at = CURRENT_TIMESTAMP", false))
                .bind("p", Math.max(0, Math.min(100, percent))).bind("id", jobId).bind("token", token).execute() == 1);
    }

    /** The job ran to its end: → succeeded, with the result (JSON text). */
    public void completed(String jobId, String token, String resultJson) {
        change(jobId, token, "completion", h -> {
            Optional<Held> held = held(h, jobId, token);
            int n = h.createUpdate(JobTransitions.complete(false)).bind("result", resultJson).bind("id", jobId).bind("token", token).execute();
            if (n == 1) {
                JobTransitions.moved(h, events, JobTransitions.COMPLETE, held.orElseThrow().state(), jobId, held.get().folderId());
                return endAttempt(h, jobId, token, "succeeded", null, null);
            }
            return attemptEnded(h, jobId, token, "succeeded");
        });
    }

    /**
     * The attempt failed: the job goes back to pending after the retry delay when attempts are
     * left, else to failed. Returns the state the job is in now.
     */
    public JobState failed(String jobId, String token, String errorType, String errorMessage) {
        return failed(jobId, token, errorType, errorMessage, true);
    }

    /**
     * As {@link #failed(String, String, String, String)}; a failure that is not {@code retryable}
     * (running it again cannot help) ends the job failed whatever attempts are left.
     */
    public JobState failed(String jobId, String token, String errorType, String errorMessage, boolean retryable) {
        return change(jobId, token, "failure", h -> {
            Optional<Held> held = held(h, jobId, token);
            if (held.isEmpty()) {
                return attemptEnded(h, jobId, token, "failed") ? JobState.fromWire(state(h, jobId)).orElseThrow() : null;
            }
            JobState next = endLease(h, jobId, held.get(), retryable, errorType, errorMessage);
            endAttempt(h, jobId, token, "failed", errorType, errorMessage);
            return next;
        });
    }

    /** The robot gives the job back without running it: pending at once, the attempt not counted. */
    public void released(String jobId, String token) {
        change(jobId, token, "release", h -> {
            Optional<Held> held = held(h, jobId, token);
            int n = h.createUpdate(JobTransitions.release()).bind("id", jobId).bind("token", token).execute();
            if (n == 1) {
                h.createUpdate("DELETE FROM job_attempts WHERE job_id = :id AND lease_token = :token")
                        .bind("id", jobId).bind("token", token).execute();
                JobTransitions.moved(h, events, JobTransitions.RELEASE, held.orElseThrow().state(), jobId, held.get().folderId());
            }
            return n == 1;
        });
    }

    /** What a cancel did. */
    public enum CancelOutcome { CANCELLED, STOPPING, ALREADY_FINISHED, NOT_FOUND }

    /** Pending: cancelled at once. Leased: marked to stop; its robot must be told. */
    public CancelOutcome cancel(String jobId) {
        return Jdbi3.call("jobs", () -> jdbi.inTransaction(h -> {
            Optional<String> state = h.createQuery("SELECT state FROM jobs WHERE id = :id FOR UPDATE")
                    .bind("id", jobId).mapTo(String.class).findOne();
            if (state.isEmpty()) {
                return CancelOutcome.NOT_FOUND;
            }
            switch (LeaseEnd.Cancel.of(JobState.fromWire(state.get()).orElseThrow())) {
                case NOW -> {
                    h.createUpdate(JobTransitions.cancelPending()).bind("id", jobId).execute();
                    JobTransitions.moved(h, events, JobTransitions.CANCEL_PENDING, JobState.PENDING, jobId);
                    return CancelOutcome.CANCELLED;
                }
                case ASK_ROBOT -> {
                    h.createUpdate("UPDATE jobs SET cancel_reason = COALESCE(cancel_reason, 'cancelled'),"
                        + " stop_requested_at = COALESCE(stop_requested_at, CURRENT_TIMESTAMP),"
                        + " updated_at = CURRENT_TIMESTAMP WHERE id = :id").bind("id", jobId).execute();
                    return CancelOutcome.STOPPING;
                }
                default -> {
                    return CancelOutcome.ALREADY_FINISHED;
                }
            }
        }));
    }

    /** The robot stopped a job it was told to stop: it ends cancelled or timed out, as asked. */
    public JobState stopped(String jobId, String token) {
        return stopped(jobId, token, JobState.CANCELLED);
    }

    /**
     * As {@link #stopped(String, String)}; when no stop was asked for, the job ends
     * {@code unrequested} (a robot that enforced the job's timeout itself reports timed out).
     */
    public JobState stopped(String jobId, String token, JobState unrequested) {
        return change(jobId, token, "stop confirmation", h -> {
            Optional<Held> held = held(h, jobId, token);
            if (held.isEmpty()) {
                return attemptEnded(h, jobId, token, null) ? JobState.fromWire(state(h, jobId)).orElseThrow() : null;
            }
            JobState end = LeaseEnd.stopped(held.get().stopAsked(), unrequested);
            JobTransitions.moved(h, events, JobTransitions.ending(end), held.get().state(), jobId, held.get().folderId());
            if (end == JobState.TIMED_OUT) {
                endAttempt(h, jobId, token, end.wireName(), JobTimeout.ERROR_TYPE, JobTimeouts.finish(h, jobId, Optional.empty()));
            } else {
                finish(h, jobId, end, null, null);
                endAttempt(h, jobId, token, end.wireName(), null, null);
            }
            return end;
        });
    }

    /** A job's hold, read under a row lock: the attempt and what ends it. */
    record Held(int attempt, int maxRetries, Optional<String> cancelReason, boolean started, String folderId) {
        /** Assigned or running (running once started). */
        JobState state() {
            return JobTransitions.leasedState(started);
        }

        /** The stop asked for the job (cancelled or timed out), if any. */
        Optional<JobState> stopAsked() {
            return cancelReason.flatMap(JobState::fromWire);
        }
    }

    private static Optional<Held> held(Handle h, String jobId, String token) {
        return h.createQuery("SELECT attempt, max_retries, cancel_reason, started_at, folder_id FROM jobs WHERE id = :id"
                        + " AND lease_token = :token"
                        + " AND " + JobTransitions.leased("") + " FOR UPDATE")
                .bind("id", jobId).bind("token", token)
                .map((rs, ctx) -> new Held(rs.getInt(1), rs.getInt(2), Optional.ofNullable(rs.getString(3)), rs.getObject(4) != null,
                        rs.getString(5)))
                .findOne();
    }

    /**
     * Ends a live lease that did not succeed, as {@link LeaseEnd} decides: a stop that was asked
     * for ends as asked (a timeout with its timeout error, saying how the attempt ended);
     * otherwise pending after the retry delay while attempts are left, else failed.
     */
    JobState endLease(Handle h, String jobId, Held held, boolean retryable, String errorType, String errorMessage) {
        LeaseEnd end = LeaseEnd.of(held.attempt(), held.maxRetries(), held.stopAsked(), retryable, retries, random);
        JobTransitions.moved(h, events, switch (end) {
            case LeaseEnd.RetryLater later -> JobTransitions.RETRY_LATER;
            case LeaseEnd.Finish f -> JobTransitions.ending(f.state());
        }, held.state(), jobId, held.folderId());
        return switch (end) {
            case LeaseEnd.RetryLater later -> {
                h.createUpdate(JobTransitions.retryLater(dialect))
                        .bind("delay", (int) Math.ceil(later.delay().toMillis() / 1000.0)).bind("type", errorType)
                        .bind("message", errorMessage).bind("id", jobId)
                        .bind("signature", ErrorSignature.of(Optional.ofNullable(errorType), Optional.ofNullable(errorMessage)).id())
                        .execute();
                yield JobState.PENDING;
            }
            case LeaseEnd.Finish f when f.state() == JobState.TIMED_OUT -> {
                JobTimeouts.finish(h, jobId, Optional.of("then " + errorType + ": " + errorMessage));
                yield JobState.TIMED_OUT;
            }
            case LeaseEnd.Finish f -> {
                finish(h, jobId, f.state(), errorType, errorMessage);
                yield f.state();
            }
        };
    }

    /** Ends the job in {@code state}; a failed one gets the signature of its error ({@link FailureSignatures}). */
    static void finish(Handle h, String jobId, JobState state, String errorType, String errorMessage) {
        int ended = h.createUpdate(JobTransitions.end(state))
                .bind("type", errorType).bind("message", errorMessage).bind("id", jobId).execute();
        if (ended == 1 && state == JobState.FAILED) {
            FailureSignatures.sign(h, jobId);
        }
    }

    static boolean endAttempt(Handle h, String jobId, String token, String outcome, String errorType, String errorMessage) {
        h.createUpdate("UPDATE job_attempts SET ended_at = CURRENT_TIMESTAMP, outcome = :outcome, error_type = :type,"
                        + " error_message = :message WHERE job_id = :id AND lease_token = :token")
                .bind("outcome", outcome).bind("type", errorType).bind("message", errorMessage)
                .bind("id", jobId).bind("token", token).execute();
        return true;
    }

    /** True when this attempt already ended with {@code outcome} (any outcome when null): a repeated report. */
    private static boolean attemptEnded(Handle h, String jobId, String token, String outcome) {
        return h.createQuery("SELECT outcome FROM job_attempts WHERE job_id = :id AND lease_token = :token")
                .bind("id", jobId).bind("token", token).mapTo(String.class).findOne()
                .filter(o -> o != null && (outcome == null || outcome.equals(o)))
                .isPresent();
    }

    private static boolean leaseIsLive(Handle h, String jobId, String token) {
        return h.createQuery("SELECT COUNT(*) FROM jobs WHERE id = :id AND lease_token = :token AND "
                        + JobTransitions.leased(""))
                .bind("id", jobId).bind("token", token).mapTo(Integer.class).one() == 1;
    }

    private static String state(Handle h, String jobId) {
        return h.createQuery("SELECT state FROM jobs WHERE id = :id").bind("id", jobId).mapTo(String.class).findOne().orElse("missing");
    }

    /** Runs a report in a transaction; a null or false answer means the lease was not live: stale. */
    private <T> T change(String jobId, String token, String what, org.jdbi.v3.core.HandleCallback<T, RuntimeException> work) {
        T result = Jdbi3.call("job reports", () -> jdbi.inTransaction(work));
        if (result == null || Boolean.FALSE.equals(result)) {
            throw new StaleLeaseException(jobId, "the " + what + " of job " + jobId + " was refused: lease " + token
                    + " is not the job's live lease (it expired, was reassigned, or the job ended); nothing was changed");
        }
        return result;
    }
}
