package com.casarerpa.orchestrator.store;

import static com.casarerpa.orchestrator.store.Jdbi3.instant;

import com.casarerpa.orchestrator.domain.JobFilter;
import com.casarerpa.orchestrator.domain.JobState;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

/**
 * Running jobs with what they last said: the job row's {@code updated_at} (written by the start,
 * each progress report and each lease extension), the newest log line (the top of
 * {@code job_logs_by_job}), and their robot's last heartbeat. Reads the running jobs only (the
 * {@code jobs_state_created} index), which the fleet's slots bound.
 */
public final class StuckJobQueries {
    private final Jdbi jdbi;

    public StuckJobQueries(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** A running job; {@code lastProgressAt} is the newest of its start, progress or extension, and log line. */
    public record Running(String id, String workflowId, String workflowName, String robotId, String folderId, Instant startedAt,
            Optional<Integer> progress, Instant lastProgressAt, Optional<Instant> robotLastHeartbeat, Optional<String> robotStatus,
            Instant now) {}

    /** The running jobs of {@code filter}'s folders (and workflow, robot) that said nothing since {@code quietSeconds}, quietest first. */
    public List<Running> quiet(JobFilter filter, int quietSeconds, int limit) {
        JobConditions where = JobConditions.of(filter.withStates(Set.of(JobState.RUNNING)));
        return Jdbi3.call("stuck jobs", () -> jdbi.withHandle(h -> {
            Query q = h.createQuery("SELECT j.id, j.workflow_id, w.name, j.robot_id, j.folder_id, j.started_at, j.progress,"
                    + " j.updated_at, (SELECT l.logged_at FROM job_logs l WHERE l.job_id = j.id ORDER BY l.id DESC LIMIT 1) AS logged,"
                    + " r.last_heartbeat, r.status, CURRENT_TIMESTAMP AS now"
                    + " FROM (SELECT * FROM jobs WHERE 1 = 1" + where.sql() + ") j LEFT JOIN workflows w ON w.id = j.workflow_id"
                    + " LEFT JOIN robots r ON r.id = j.robot_id");
            where.bind(q);
            return q.map((rs, ctx) -> {
                Optional<Instant> updated = instant(rs.getObject("updated_at"));
                Instant started = instant(rs.getObject("started_at")).or(() -> updated).orElseThrow();
                Instant last = Stream.of(Optional.of(started), updated, instant(rs.getObject("logged")))
                        .flatMap(Optional::stream).max(Instant::compareTo).orElseThrow();
                Number progress = (Number) rs.getObject("progress");
                return new Running(rs.getString("id"), rs.getString("workflow_id"), rs.getString("name"), rs.getString("robot_id"),
                        rs.getString("folder_id"), started, Optional.ofNullable(progress).map(Number::intValue), last,
                        instant(rs.getObject("last_heartbeat")), Optional.ofNullable(rs.getString("status")),
                        instant(rs.getObject("now")).orElseThrow());
            }).stream()
                    .filter(r -> !r.lastProgressAt().isAfter(r.now().minusSeconds(quietSeconds)))
                    .sorted((a, b) -> a.lastProgressAt().compareTo(b.lastProgressAt()))
                    .limit(limit)
                    .toList();
        }));
    }
}
