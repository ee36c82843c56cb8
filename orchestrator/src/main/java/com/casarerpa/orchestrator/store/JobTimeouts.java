package com.casarerpa.orchestrator.store;

import static com.casarerpa.orchestrator.store.Jdbi3.instant;

import com.casarerpa.orchestrator.domain.JobState;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * How a leased job ends {@code timed_out}, by whichever path (its robot confirmed the stop, the
 * robot stopped it on its own timeout, or the stop was never confirmed): with the error
 * {@code {"type":"timeout","message":"ran longer than its timeout_seconds (30 s): stopped after
 * 31 s"}}. The time it ran is the database's, from {@code started_at} to now. (Its attempt keeps
 * its own outcome: how the attempt ended.)
 */
final class JobTimeouts {
    static final String ERROR_TYPE = "timeout";

    private JobTimeouts() {}

    /**
     * Ends the job timed out and returns its error message. {@code then}: how the stop ended
     * when the robot did not confirm it (appended to the message).
     */
    static String finish(Handle h, String jobId, Optional<String> then) {
        String message = h.createQuery("SELECT timeout_seconds, started_at, CURRENT_TIMESTAMP AS now FROM jobs WHERE id = :id")
                .bind("id", jobId)
                .map((rs, ctx) -> message(Optional.ofNullable((Number) rs.getObject("timeout_seconds")).map(Number::intValue),
                        instant(rs.getObject("started_at")), instant(rs.getObject("now")).orElseThrow()))
                .one() + then.map(t -> "; " + t).orElse("");
        h.createUpdate(JobTransitions.end(JobState.TIMED_OUT))
                .bind("type", ERROR_TYPE).bind("message", message).bind("id", jobId).execute();
        return message;
    }

    /** What timed out and after how long (whole seconds, rounded up: a run of 30.2 s of 30 allowed ran 31). */
    static String message(Optional<Integer> timeoutSeconds, Optional<Instant> startedAt, Instant now) {
        String limit = timeoutSeconds.map(s -> "ran longer than its timeout_seconds (" + s + " s)")
                .orElse("its robot stopped it for running past its time limit");
        return limit + startedAt.map(start -> ": stopped after " + ceilSeconds(Duration.between(start, now)) + " s").orElse("");
    }

    private static long ceilSeconds(Duration d) {
        long millis = Math.max(0, d.toMillis());
        return (millis + 999) / 1000;
    }
}
