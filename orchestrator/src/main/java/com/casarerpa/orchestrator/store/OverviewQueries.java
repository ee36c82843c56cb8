package com.casarerpa.orchestrator.store;

import static com.casarerpa.orchestrator.store.Jdbi3.instant;
import static com.casarerpa.orchestrator.store.Jdbi3.ts;

import com.casarerpa.orchestrator.domain.JobState;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

/**
 * The job and schedule figures of the dashboard's overview, read on one connection by the
 * database clock (jobs' times are written by it). Each statement reads a bounded range of an
 * index (V24, V11), never the jobs table as a whole: the queue from the pending jobs' partial
 * index, the minutes from finished jobs of the last hour, the latency from the attempts assigned
 * in the last hour, the failures by a backward walk of the failed ones. {@code OverviewPlansTest}
 * checks the PostgreSQL plans.
 *
 * <p>Folders: each method takes the folders to count ({@link FolderFilter}: empty means every folder).
 */
public final class OverviewQueries {
    /** The states a finished job ends in, counted per minute. */
    public static final List<JobState> OUTCOMES = List.of(JobState.SUCCEEDED, JobState.FAILED, JobState.CANCELLED,
            JobState.TIMED_OUT);
    public static final int MINUTES = 60;
    private static final int RECENT_FAILURES = 10;
    private static final int NEXT_FIRES = 10;
    /** The most attempts the latency is measured over: the latest of the hour. */
    public static final int LATENCY_SAMPLE = 10_000;

    private final Jdbi jdbi;
    private final Dialect dialect;

    public OverviewQueries(Jdbi jdbi, Dialect dialect) {
        this.jdbi = jdbi;
        this.dialect = dialect;
    }

    /** The pending jobs: how many, and the creation time of the oldest. */
    public record Queue(long pending, Optional<Instant> oldestCreatedAt) {}

    /** Finished jobs of one minute ({@code minute}: its start) ending in {@code state}. */
    public record MinuteCount(Instant minute, JobState state, long count) {}

    /** Percentiles of dispatch latency in milliseconds (empty when {@code count} is 0). */
    public record Latency(Optional<Double> p50, Optional<Double> p95, Optional<Double> p99, long count) {}

    /** A failed or timed-out job; {@code error} is the start of its message (at most 400 characters). */
    public record Failure(String jobId, String workflowId, String workflowName, JobState state, Optional<String> errorType,
            Optional<String> error, Instant finishedAt) {}

    /** An enabled schedule's next fire. */
    public record NextFire(String scheduleId, String name, String workflowId, String workflowName, Instant at, String timezone) {}

    /**
     * @param now the database's clock when read; minutes are the {@link #MINUTES} up to and with the current one
     */
    public record Figures(Instant now, Queue queue, List<MinuteCount> minutes, Latency latency, List<Failure> failures,
            List<NextFire> nextFires) {}

    /**
     * Reads everything the overview shows of jobs and schedules.
     *
     * @param jobFolders      the folders whose jobs count
     * @param scheduleFolders the folders whose schedules are shown
     */
    public Figures read(Optional<Set<String>> jobFolders, Optional<Set<String>> scheduleFolders) {
        return Jdbi3.call("overview", () -> jdbi.withHandle(h -> {
            Instant now = h.createQuery("SELECT CURRENT_TIMESTAMP").map((rs, ctx) -> instant(rs.getObject(1)).orElseThrow()).one();
            Instant firstMinute = now.truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(MINUTES - 1));
            return new Figures(now, queue(h, jobFolders), minutes(h, jobFolders, firstMinute),
                    latency(h, jobFolders, now.minus(Duration.ofHours(1))), failures(h, jobFolders), nextFires(h, scheduleFolders));
        }));
    }

    private static Query query(Handle h, StringBuilder sql, List<Consumer<Query>> binds) {
        Query q = h.createQuery(sql.toString());
        binds.forEach(b -> b.accept(q));
        return q;
    }

    private static Queue queue(Handle h, Optional<Set<String>> folders) {
        StringBuilder sql = new StringBuilder("SELECT COUNT(*), MIN(created_at) FROM jobs WHERE state = 'pending'");
        List<Consumer<Query>> binds = new ArrayList<>();
        FolderFilter.append(folders, sql, binds);
        return query(h, sql, binds).map((rs, ctx) -> new Queue(rs.getLong(1), instant(rs.getObject(2)))).one();
    }

    private List<MinuteCount> minutes(Handle h, Optional<Set<String>> folders, Instant since) {
        String minute = dialect.truncateToMinute("finished_at");
        StringBuilder sql = new StringBuilder("SELECT " + minute + " AS at_minute, state, COUNT(*) FROM jobs WHERE "
                + JobTransitions.stateIn("", java.util.EnumSet.copyOf(OUTCOMES)) + " AND finished_at >= :since");
        List<Consumer<Query>> binds = new ArrayList<>(List.of(q -> q.bind("since", ts(since))));
        FolderFilter.append(folders, sql, binds);
        sql.append(" GROUP BY ").append(minute).append(", state");
        return query(h, sql, binds).map((rs, ctx) -> new MinuteCount(instant(rs.getObject(1)).orElseThrow()
                .truncatedTo(ChronoUnit.MINUTES), JobState.fromWire(rs.getString(2)).orElseThrow(), rs.getLong(3))).list();
    }

    /**
     * From the moment each job became dispatchable (its {@code run_after}: submission, retry time
     * or release) to its assignment, for the attempts assigned since {@code since} that are their
     * job's latest (an earlier attempt's {@code run_after} was overwritten by the retry), at most
     * the {@link #LATENCY_SAMPLE} latest. Each attempt finds its job by primary key (a correlated
     * lookup, so the plan never joins the whole jobs table), and a job outside {@code folders}
     * drops out.
     */
    private Latency latency(Handle h, Optional<Set<String>> folders, Instant since) {
        StringBuilder job = new StringBuilder("SELECT j.run_after FROM jobs j WHERE j.id = a.job_id AND j.attempt = a.attempt");
        List<Consumer<Query>> binds = new ArrayList<>(List.of(q -> q.bind("since", ts(since))));
        FolderFilter.append("j.folder_id", folders, job, binds);
        String ms = "GREATEST(0, " + dialect.millisBetween("x.ready", "x.assigned_at") + ")";
        StringBuilder sql = new StringBuilder("SELECT PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY " + ms + "),"
                + " PERCENTILE_CONT(0.95) WITHIN GROUP (ORDER BY " + ms + "), PERCENTILE_CONT(0.99) WITHIN GROUP (ORDER BY " + ms
                + "), COUNT(*) FROM (SELECT a.assigned_at, (" + job + ") AS ready FROM job_attempts a WHERE a.assigned_at >= :since"
                + " ORDER BY a.assigned_at DESC LIMIT " + LATENCY_SAMPLE + ") x WHERE x.ready IS NOT NULL");
        return query(h, sql, binds).map((rs, ctx) -> new Latency(number(rs.getObject(1)), number(rs.getObject(2)),
                number(rs.getObject(3)), rs.getLong(4))).one();
    }

    private static Optional<Double> number(Object value) {
        return value == null ? Optional.empty() : Optional.of(((Number) value).doubleValue());
    }

    /** The latest failed and timed-out jobs: the newest of each state, merged (each walk stops after a few rows). */
    private static List<Failure> failures(Handle h, Optional<Set<String>> folders) {
        List<Consumer<Query>> binds = new ArrayList<>();
        String failed = latestOf("failed", folders, binds);
        // Both walks name the same <folders> list, bound once (the first walk's binding).
        String timedOut = latestOf("timed_out", folders, new ArrayList<>());
        StringBuilder sql = new StringBuilder("SELECT x.id, x.workflow_id, w.name, x.state, x.error_type, x.error, x.finished_at"
                + " FROM ((" + failed + ") UNION ALL (" + timedOut + ")) x JOIN workflows w ON w.id = x.workflow_id"
                + " ORDER BY x.finished_at DESC, x.id DESC LIMIT " + RECENT_FAILURES);
        return query(h, sql, binds).map((rs, ctx) -> new Failure(rs.getString(1), rs.getString(2), rs.getString(3),
                JobState.fromWire(rs.getString(4)).orElseThrow(), Optional.ofNullable(rs.getString(5)),
                Optional.ofNullable(rs.getString(6)), instant(rs.getObject(7)).orElseThrow())).list();
    }

    private static String latestOf(String state, Optional<Set<String>> folders, List<Consumer<Query>> binds) {
        StringBuilder sql = new StringBuilder("SELECT id, workflow_id, state, error_type, LEFT(error_message, 400) AS error,"
                + " finished_at FROM jobs WHERE state = '" + state + "' AND finished_at IS NOT NULL");
        FolderFilter.append(folders, sql, binds);
        return sql.append(" ORDER BY finished_at DESC LIMIT " + RECENT_FAILURES).toString();
    }

    private static List<NextFire> nextFires(Handle h, Optional<Set<String>> folders) {
        StringBuilder sql = new StringBuilder("SELECT s.id, s.name, s.workflow_id, w.name, s.next_fire_at, s.timezone FROM schedules s"
                + " JOIN workflows w ON w.id = s.workflow_id WHERE s.enabled = TRUE AND s.next_fire_at IS NOT NULL");
        List<Consumer<Query>> binds = new ArrayList<>();
        FolderFilter.append("s.folder_id", folders, sql, binds);
        sql.append(" ORDER BY s.next_fire_at, s.id LIMIT " + NEXT_FIRES);
        return query(h, sql, binds).map((rs, ctx) -> new NextFire(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                instant(rs.getObject(5)).orElseThrow(), rs.getString(6))).list();
    }
}
