package com.casarerpa.orchestrator.store;

import static com.casarerpa.orchestrator.store.Jdbi3.instant;

import com.casarerpa.orchestrator.domain.JobAttempt;
import com.casarerpa.orchestrator.domain.JobLogEntry;
import com.casarerpa.orchestrator.paging.Page;
import com.casarerpa.orchestrator.paging.PageRequest;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * What happened to a job: its attempts (each assignment to a robot and how it ended), oldest
 * first, and the lines robots logged while running it, a page at a time in the order logged.
 */
public final class JobHistory {
    private final Jdbi jdbi;

    public JobHistory(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public List<JobAttempt> attempts(String jobId) {
        return Jdbi3.call("job attempts", () -> jdbi.withHandle(h -> h.createQuery(
                        "SELECT " + ATTEMPT_COLUMNS + " FROM job_attempts WHERE job_id = :job ORDER BY attempt")
                .bind("job", jobId)
                .map((rs, ctx) -> attempt(rs))
                .list()));
    }

    /**
     * Log lines of a job in the order logged, optionally of one attempt, and only those after line
     * {@code afterId} when set; the cursor is the id of the last line of a page.
     *
     * @throws IllegalArgumentException when the page's cursor is not one of this listing
     */
    public Page<JobLogEntry> logs(String jobId, Optional<Integer> attempt, Optional<Long> afterId, PageRequest page) {
        Optional<Long> cursor = page.after().map(JobHistory::logId);
        Optional<Long> after = cursor.isEmpty() ? afterId : afterId.map(a -> Math.max(a, cursor.get())).or(() -> cursor);
        List<JobLogEntry> rows = Jdbi3.call("job logs", () -> jdbi.withHandle(h -> {
            var q = h.createQuery("SELECT " + LOG_COLUMNS + " FROM job_logs"
                            + " WHERE job_id = :job" + (attempt.isPresent() ? " AND attempt = :attempt" : "")
                            + (after.isPresent() ? " AND id > :after" : "") + " ORDER BY id LIMIT :limit")
                    .bind("job", jobId)
                    .bind("limit", page.limit() + 1);
            attempt.ifPresent(a -> q.bind("attempt", a));
            after.ifPresent(a -> q.bind("after", a));
            return q.map((rs, ctx) -> log(rs)).list();
        }));
        return Page.of(rows, page, e -> List.of(Long.toString(e.id())));
    }

    static final String ATTEMPT_COLUMNS = "job_id, attempt, robot_id, assigned_at, started_at, ended_at, outcome, error_type,"
            + " error_message";
    static final String LOG_COLUMNS = "id, job_id, attempt, logged_at, level, node_id, message";

    /** A row of {@link #ATTEMPT_COLUMNS}. */
    static JobAttempt attempt(ResultSet rs) throws SQLException {
        return new JobAttempt(rs.getString("job_id"), rs.getInt("attempt"), rs.getString("robot_id"),
                instant(rs.getObject("assigned_at")).orElseThrow(), instant(rs.getObject("started_at")),
                instant(rs.getObject("ended_at")), Optional.ofNullable(rs.getString("outcome")),
                Optional.ofNullable(rs.getString("error_type")), Optional.ofNullable(rs.getString("error_message")));
    }

    /** A row of {@link #LOG_COLUMNS}. */
    static JobLogEntry log(ResultSet rs) throws SQLException {
        return new JobLogEntry(rs.getLong("id"), rs.getString("job_id"), rs.getInt("attempt"),
                instant(rs.getObject("logged_at")).orElseThrow(), rs.getString("level"),
                Optional.ofNullable(rs.getString("node_id")), rs.getString("message"));
    }

    /** Why {@code key} is not a cursor of a job's logs; empty when it is one. */
    public static Optional<String> problemWithLogCursor(List<String> key) {
        return key.size() == 1 && key.getFirst().matches("\\d{1,18}") ? Optional.empty()
                : Optional.of("not a cursor of the job's logs; pass next_cursor back unchanged");
    }

    private static long logId(List<String> key) {
        problemWithLogCursor(key).ifPresent(p -> {
            throw new IllegalArgumentException(p);
        });
        return Long.parseLong(key.getFirst());
    }
}
