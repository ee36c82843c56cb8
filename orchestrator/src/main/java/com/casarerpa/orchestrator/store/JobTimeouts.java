package com.casarerpa.orchestrator.store;

import static com.casarerpa.orchestrator.store.Jdbi3.instant;

import com.casarerpa.orchestrator.domain.JobState;
import com.casarerpa.orchestrator.domain.JobTimeout;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * How a leased job ends {@code timed_out}, by whichever path (its robot confirmed the stop, the
 * robot stopped it on its own timeout, or the stop was never confirmed): with the error
 * {@link JobTimeout} gives it. The time it ran is the database's, from {@code started_at} to now.
 * (Its attempt keeps its own outcome: how the attempt ended.) The job is signed as a failure
 * ({@link FailureSignatures}).
 */
final class JobTimeouts {
    private JobTimeouts() {}

    /** The job's time limit as it stands now, read with {@code timeout_seconds, started_at, CURRENT_TIMESTAMP AS now}. */
    static JobTimeout read(ResultSet rs) throws SQLException {
        return new JobTimeout(Optional.ofNullable((Number) rs.getObject("timeout_seconds")).map(Number::intValue),
                instant(rs.getObject("started_at")), instant(rs.getObject("now")).orElseThrow());
    }

    /**
     * Ends the job timed out and returns its error message. {@code then}: how the stop ended
     * when the robot did not confirm it (appended to the message).
     */
    static String finish(Handle h, String jobId, Optional<String> then) {
        String message = h.createQuery("SELECT timeout_seconds, started_at, CURRENT_TIMESTAMP AS now FROM jobs WHERE id = :id")
                .bind("id", jobId)
                .map((rs, ctx) -> read(rs))
                .one().message(then);
        if (h.createUpdate(JobTransitions.end(JobState.TIMED_OUT))
                .bind("type", JobTimeout.ERROR_TYPE).bind("message", message).bind("id", jobId).execute() == 1) {
            FailureSignatures.sign(h, jobId);
        }
        return message;
    }
}
