package com.casarerpa.orchestrator.store;

import com.casarerpa.orchestrator.domain.RobotLoad;
import com.casarerpa.orchestrator.domain.StoppingJob;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;

/**
 * The few reads a dispatcher makes every round, one statement each for all the robots connected
 * to an instance: is any job runnable at all, how loaded is each robot, which of their jobs are
 * marked to stop. And the node types a job's workflow version needs, which a claim matches
 * against what a robot runs.
 */
public final class DispatchQueries {
    private final Jdbi jdbi;

    public DispatchQueries(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * How many pending jobs may be dispatched now (their retry delay is over), counted up to
     * {@code cap}: what a round needs to know to offer no more robots than there is work for.
     */
    public int runnable(int cap) {
        return Jdbi3.call("jobs", () -> jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM (SELECT id FROM jobs WHERE "
                + JobTransitions.claimable("") + " AND run_after <= CURRENT_TIMESTAMP LIMIT :cap) r")
                .bind("cap", cap).mapTo(Integer.class).one()));
    }

    /**
     * The node types of a workflow version, as the claim matches them (table
     * {@code workflow_node_types}); empty for a version stored before they were recorded, which
     * any robot may run.
     */
    public Set<String> nodeTypes(String workflowId, int version) {
        return Jdbi3.call("workflows", () -> jdbi.withHandle(h -> Set.copyOf(h.createQuery("SELECT node_type FROM"
                        + " workflow_node_types WHERE workflow_id = :workflow AND version = :version")
                .bind("workflow", workflowId).bind("version", version).mapTo(String.class).list())));
    }

    /** The folder of a job (its workflow's when it was submitted); empty when the job is gone. */
    public Optional<String> folderOf(String jobId) {
        return Jdbi3.call("jobs", () -> jdbi.withHandle(h -> h.createQuery("SELECT folder_id FROM jobs WHERE id = :id")
                .bind("id", jobId).mapTo(String.class).findOne()));
    }

    /**
     * The load of each of these robots that exists (a deleted robot is left out), with the
     * folders it is assigned to. The leases are
     * counted by state, over the live leases of all robots, and picked out here: a filter on the
     * robot in SQL let H2 read every job the robots ever ran through the robot index, which grows
     * with the table; the live leases are at most the fleet's slots.
     */
    public Map<String, RobotLoad> loads(Collection<String> robotIds) {
        if (robotIds.isEmpty()) {
            return Map.of();
        }
        return Jdbi3.call("robots", () -> jdbi.withHandle(h -> {
            Map<String, Integer> leased = new HashMap<>();
            h.createQuery("SELECT robot_id, COUNT(*) FROM jobs WHERE " + JobTransitions.leased("") + " GROUP BY robot_id")
                    .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getInt(2)))
                    .forEach(e -> leased.put(e.getKey(), e.getValue()));
            // One row per folder a robot is assigned to (one with a null folder when it has none: the root).
            Map<String, RobotLoad> out = new HashMap<>();
            Map<String, Set<String>> folders = new HashMap<>();
            h.createQuery("SELECT r.id, r.maintenance, r.max_concurrent_jobs, f.folder_id FROM robots r"
                            + " LEFT JOIN robot_folders f ON f.robot_id = r.id WHERE r.id IN (<ids>)")
                    .bindList("ids", List.copyOf(robotIds))
                    .map((rs, ctx) -> {
                        Set<String> of = folders.computeIfAbsent(rs.getString(1), id -> new java.util.HashSet<>());
                        Optional.ofNullable(rs.getString(4)).ifPresent(of::add);
                        return new RobotLoad(rs.getString(1), rs.getBoolean(2), rs.getInt(3), leased.getOrDefault(rs.getString(1), 0),
                                Set.of());
                    })
                    .forEach(l -> out.put(l.robotId(), l));
            out.replaceAll((id, l) -> new RobotLoad(id, l.maintenance(), l.slots(), l.leased(), folders.get(id)));
            return out;
        }));
    }

    /** The jobs of these robots that are marked to stop. */
    public List<StoppingJob> stopping(Collection<String> robotIds) {
        if (robotIds.isEmpty()) {
            return List.of();
        }
        // By state first, the robots picked out here: as in loads().
        Set<String> robots = Set.copyOf(robotIds);
        return Jdbi3.call("jobs", () -> jdbi.withHandle(h -> h.createQuery("SELECT id, robot_id, lease_token, cancel_reason,"
                        + " timeout_seconds FROM jobs WHERE " + JobTransitions.leased("") + " AND cancel_reason IS NOT NULL")
                .map((rs, ctx) -> new StoppingJob(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        (Integer) rs.getObject(5)))
                .filter(s -> robots.contains(s.robotId()))
                .list()));
    }
}
