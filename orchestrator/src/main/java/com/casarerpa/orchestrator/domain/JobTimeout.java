package com.casarerpa.orchestrator.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A job's time limit ({@code timeout_seconds}, counted from its start) as it stands at
 * {@code now} (the database's clock), and what running past it does: decided here, applied by
 * the store in the transaction that read the job ({@code store/JobReaping}, {@code store/JobTimeouts}).
 *
 * <p>A running job past its deadline is asked to stop as {@link JobState#TIMED_OUT} (its robot
 * is told with {@code job_cancel}), unless a stop was asked already (a cancel asked first wins).
 * A job so stopped ends timed out however it ends (its robot confirms, fails it, goes silent, or
 * never confirms) and is never retried, whatever attempts are left ({@link LeaseEnd}: a stop
 * that was asked ends as asked). It ends with the error {@code {"type": "timeout", "message":
 * "ran longer than its timeout_seconds (30 s): stopped after 31 s"}}, the message followed by how
 * the stop ended when its robot did not confirm it.
 *
 * @param seconds   the job's {@code timeout_seconds}; empty: no limit (a robot may still stop it on its own time limit)
 * @param startedAt when the job started running; empty: not started, its time does not run
 */
public record JobTimeout(Optional<Integer> seconds, Optional<Instant> startedAt, Instant now) {
    /** The {@code type} of a timed-out job's error. */
    public static final String ERROR_TYPE = "timeout";

    /** When the job's time runs out: its start plus its timeout; empty without either. */
    public Optional<Instant> deadline() {
        return startedAt.flatMap(start -> seconds.map(start::plusSeconds));
    }

    /**
     * The stop the timeout sweep asks for a job in {@code state}, with {@code stopAsked} the stop
     * asked so far: timed out when the job runs, no stop is asked yet, and its deadline is before
     * {@link #now}; otherwise none (not started, no limit, time left, or already being stopped).
     */
    public Optional<JobState> stopToAsk(JobState state, Optional<JobState> stopAsked) {
        boolean due = state == JobState.RUNNING && stopAsked.isEmpty() && deadline().filter(d -> d.isBefore(now)).isPresent();
        return due ? Optional.of(JobState.TIMED_OUT) : Optional.empty();
    }

    /**
     * A timed-out job's error message: what timed out and after how long (whole seconds, rounded
     * up: a run of 30.2 s of 30 allowed ran 31), then {@code then} (how the stop ended) when given.
     */
    public String message(Optional<String> then) {
        String limit = seconds.map(s -> "ran longer than its timeout_seconds (" + s + " s)")
                .orElse("its robot stopped it for running past its time limit");
        return limit + startedAt.map(start -> ": stopped after " + ceilSeconds(Duration.between(start, now)) + " s").orElse("")
                + then.map(t -> "; " + t).orElse("");
    }

    private static long ceilSeconds(Duration d) {
        long millis = Math.max(0, d.toMillis());
        return (millis + 999) / 1000;
    }
}
