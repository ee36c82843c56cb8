package com.casarerpa.orchestrator.store;

import com.casarerpa.orchestrator.domain.JobState;
import com.casarerpa.orchestrator.domain.JobTimeout;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * The two sweeps that keep the queue moving without a human: leases past their expiry (a robot
 * crashed, its network or its instance died) end their attempt ({@code LeaseEnd} decides how),
 * and running jobs past their {@code timeout_seconds} are marked to be stopped as timed out
 * ({@code JobTimeout} decides). Both compare with the database's clock, so the clocks of
 * instances do not matter, and on PostgreSQL both take rows with {@code SKIP LOCKED}, so every
 * instance may sweep at once.
 */
public final class JobReaping {
    private final Jdbi jdbi;
    private final Dialect dialect;
    private final JobReports reports;

    public JobReaping(Jdbi jdbi, Dialect dialect, JobReports reports) {
        this.jdbi = jdbi;
        this.dialect = dialect;
        this.reports = reports;
    }

    /** A lease that ended by expiry, and where its job went. */
    public record Expired(String jobId, String robotId, int attempt, JobState now) {}

    /** Ends up to {@code limit} expired leases. */
    public List<Expired> expireLeases(int limit) {
        String skipLocked = dialect == Dialect.POSTGRESQL ? " SKIP LOCKED" : "";
        return Jdbi3.call("lease expiry", () -> jdbi.inTransaction(h -> {
            record Row(String id, String robot, String token, JobReports.Held held) {}
            List<Row> rows = h.createQuery("SELECT id, robot_id, lease_token, attempt, max_retries, cancel_reason, started_at,"
                            + " folder_id FROM jobs"
                            + " WHERE " + JobTransitions.leased("") + " AND lease_expires_at < CURRENT_TIMESTAMP"
                            + " ORDER BY lease_expires_at LIMIT :limit FOR UPDATE" + skipLocked)
                    .bind("limit", limit)
                    .map((rs, ctx) -> new Row(rs.getString("id"), rs.getString("robot_id"), rs.getString("lease_token"),
                            new JobReports.Held(rs.getInt("attempt"), rs.getInt("max_retries"),
                                    Optional.ofNullable(rs.getString("cancel_reason")), rs.getObject("started_at") != null,
                                    rs.getString("folder_id"))))
                    .list();
            return rows.stream().map(r -> {
                JobState now = reports.endLease(h, r.id(), r.held(), true, "lease_expired",
                        "robot " + r.robot() + " stopped renewing its lease (attempt " + r.held().attempt() + ")");
                JobReports.endAttempt(h, r.id(), r.token(), "lease_expired", "lease_expired", null);
                return new Expired(r.id(), r.robot(), r.held().attempt(), now);
            }).toList();
        }));
    }

    /** A running job past its timeout, now to be stopped on its robot. */
    public record TimedOut(String jobId, String robotId) {}

    /**
     * Marks up to {@code limit} running jobs past their timeout as stopping, as
     * {@link JobTimeout#stopToAsk} decides for each: the query picks the candidates by their
     * deadline, the domain decides what becomes of them.
     */
    public List<TimedOut> timeOut(int limit) {
        String skipLocked = dialect == Dialect.POSTGRESQL ? " SKIP LOCKED" : "";
        return Jdbi3.call("job timeouts", () -> jdbi.inTransaction(h -> {
            record Row(TimedOut job, JobState state, Optional<JobState> stopAsked, JobTimeout timeout) {}
            List<Row> candidates = h.createQuery("SELECT id, robot_id, state, cancel_reason, timeout_seconds, started_at,"
                            + " CURRENT_TIMESTAMP AS now FROM jobs WHERE " + JobTransitions.stateIn("", Set.of(JobState.RUNNING))
                            + " AND cancel_reason IS NULL AND timeout_seconds IS NOT NULL AND "
                            + dialect.plusSeconds("started_at", "timeout_seconds") + " < CURRENT_TIMESTAMP"
                            + " LIMIT :limit FOR UPDATE" + skipLocked)
                    .bind("limit", limit)
                    .map((rs, ctx) -> new Row(new TimedOut(rs.getString("id"), rs.getString("robot_id")),
                            JobState.fromWire(rs.getString("state")).orElseThrow(),
                            Optional.ofNullable(rs.getString("cancel_reason")).flatMap(JobState::fromWire), JobTimeouts.read(rs)))
                    .list();
            List<TimedOut> stopping = new ArrayList<>();
            PreparedBatch ask = h.prepareBatch("UPDATE jobs SET cancel_reason = :stop, stop_requested_at = CURRENT_TIMESTAMP,"
                    + " updated_at = CURRENT_TIMESTAMP WHERE id = :id");
            for (Row r : candidates) {
                r.timeout().stopToAsk(r.state(), r.stopAsked()).ifPresent(stop -> {
                    ask.bind("stop", stop.wireName()).bind("id", r.job().jobId()).add();
                    stopping.add(r.job());
                });
            }
            if (!stopping.isEmpty()) {
                ask.execute();
            }
            return stopping;
        }));
    }

    /**
     * Ends leased jobs whose stop was asked more than {@code graceSeconds} ago and never
     * confirmed by their robot: they end as asked (cancelled or timed out) and the robot's later
     * reports are stale.
     */
    public List<TimedOut> endUnconfirmedStops(int graceSeconds, int limit) {
        String skipLocked = dialect == Dialect.POSTGRESQL ? " SKIP LOCKED" : "";
        return Jdbi3.call("job stops", () -> jdbi.inTransaction(h -> {
            record Row(String id, String robot, String token, String reason, boolean started, String folder) {}
            List<Row> due = h.createQuery("SELECT id, robot_id, lease_token, cancel_reason, started_at, folder_id FROM jobs"
                            + " WHERE " + JobTransitions.leased("") + " AND cancel_reason IS NOT NULL"
                            + " AND stop_requested_at < " + dialect.plusSeconds("CURRENT_TIMESTAMP", "-:grace")
                            + " LIMIT :limit FOR UPDATE" + skipLocked)
                    .bind("grace", graceSeconds).bind("limit", limit)
                    .map((rs, ctx) -> new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getObject(5) != null,
                            rs.getString(6)))
                    .list();
            for (Row r : due) {
                String unconfirmed = "robot " + r.robot() + " did not confirm the stop within " + graceSeconds + " s";
                JobState asked = JobState.fromWire(r.reason()).orElseThrow();
                JobTransitions.moved(h, reports.events(), JobTransitions.ending(asked), JobTransitions.leasedState(r.started()), r.id(),
                        r.folder());
                if (asked == JobState.TIMED_OUT) {
                    JobTimeouts.finish(h, r.id(), Optional.of(unconfirmed));
                } else {
                    JobReports.finish(h, r.id(), asked, "stop_unconfirmed", unconfirmed);
                }
                JobReports.endAttempt(h, r.id(), r.token(), r.reason(), "stop_unconfirmed", unconfirmed);
            }
            return due.stream().map(r -> new TimedOut(r.id(), r.robot())).toList();
        }));
    }

    /** Leased jobs marked to stop, per robot: what a robot's channel must (re)send as job_cancel. */
    public List<TimedOut> stopping(String robotId) {
        return Jdbi3.call("jobs", () -> jdbi.withHandle(h -> h.createQuery("SELECT id, robot_id FROM jobs WHERE robot_id = :robot"
                        + " AND " + JobTransitions.leased("") + " AND cancel_reason IS NOT NULL")
                .bind("robot", robotId)
                .map((rs, ctx) -> new TimedOut(rs.getString(1), rs.getString(2)))
                .list()));
    }
}
