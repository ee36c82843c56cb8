package com.casarerpa.orchestrator.store;

import static com.casarerpa.orchestrator.store.Jdbi3.instant;

import com.casarerpa.orchestrator.domain.HeldJob;
import com.casarerpa.orchestrator.domain.JobState;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jdbi.v3.core.statement.Query;

/**
 * The jobs robots hold now (assigned or running), with their workflow's name, for the robots
 * page: one statement for the whole fleet (bounded by the fleet's slots, read through the state
 * indexes), or one for a robot (its {@code jobs_robot} range), never one per robot.
 */
public final class HeldJobs {
    private static final String SELECT = "SELECT j.robot_id, j.id, j.workflow_id, w.name, j.state, j.started_at FROM jobs j"
            + " JOIN workflows w ON w.id = j.workflow_id WHERE " + JobTransitions.leased("j");

    private final org.jdbi.v3.core.Jdbi jdbi;

    public HeldJobs(org.jdbi.v3.core.Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Every robot's held jobs, by robot id (robots holding none are absent), each robot's by job id. */
    public Map<String, List<HeldJob>> all() {
        return Jdbi3.call("held jobs", () -> jdbi.withHandle(h -> byRobot(h.createQuery(SELECT + " ORDER BY j.robot_id, j.id"))));
    }

    /** The held jobs of these robots, by robot id (robots holding none are absent), each robot's by job id. */
    public Map<String, List<HeldJob>> of(java.util.Collection<String> robotIds) {
        if (robotIds.isEmpty()) {
            return Map.of();
        }
        return Jdbi3.call("held jobs", () -> jdbi.withHandle(h -> byRobot(h.createQuery(SELECT + " AND j.robot_id IN (<robots>)"
                + " ORDER BY j.robot_id, j.id").bindList("robots", List.copyOf(robotIds)))));
    }

    /** The jobs one robot holds, by job id. */
    public List<HeldJob> of(String robotId) {
        return Jdbi3.call("held jobs", () -> jdbi.withHandle(h -> byRobot(h.createQuery(SELECT + " AND j.robot_id = :robot"
                + " ORDER BY j.id").bind("robot", robotId)))).getOrDefault(robotId, List.of());
    }

    private static Map<String, List<HeldJob>> byRobot(Query q) {
        return q.map((rs, ctx) -> new HeldJob(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        JobState.fromWire(rs.getString(5)).orElseThrow(), instant(rs.getObject(6))))
                .list().stream()
                .collect(Collectors.groupingBy(HeldJob::robotId, LinkedHashMap::new, Collectors.toList()));
    }
}
