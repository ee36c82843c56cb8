package com.casarerpa.orchestrator.store;

import com.casarerpa.orchestrator.domain.JobState;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * What the metrics read from the shared database (docs/monitoring.md, the "shared" series): the
 * live jobs by state, the wait of the oldest dispatchable job, the robots by status and their
 * slots. Two statements on one connection, both bounded by what is live, not by history: the
 * jobs one reads only pending, assigned and running rows (through the state indexes), the robots
 * one the fleet's rows. Finished jobs are not counted here; their count grows with the table.
 */
public final class GaugeQueries {
    /** The states counted: a job's live ones. */
    public static final List<JobState> LIVE = List.of(JobState.PENDING, JobState.ASSIGNED, JobState.RUNNING);
    /** Robot statuses, as stored. */
    public static final List<String> ROBOT_STATUSES = List.of("online", "busy", "offline");

    private final Jdbi jdbi;

    public GaugeQueries(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * One reading.
     *
     * @param jobs          live jobs by state (every state of {@link #LIVE}, 0 when none)
     * @param oldestWaiting how long the oldest pending job that may be dispatched now has been
     *                      dispatchable (since its commit or its retry time); zero when none
     * @param robots        robots by status (every status of {@link #ROBOT_STATUSES})
     * @param slotsUsed     leases held by robots online or busy
     * @param slotsFree     their slots not held, on robots not in maintenance
     */
    public record Figures(Map<JobState, Long> jobs, Duration oldestWaiting, Map<String, Long> robots, long slotsUsed,
            long slotsFree) {
        public Figures {
            jobs = Map.copyOf(jobs);
            robots = Map.copyOf(robots);
        }

        /** All zero: before the first reading. */
        public static Figures none() {
            Map<JobState, Long> jobs = new EnumMap<>(JobState.class);
            LIVE.forEach(s -> jobs.put(s, 0L));
            Map<String, Long> robots = new HashMap<>();
            ROBOT_STATUSES.forEach(s -> robots.put(s, 0L));
            return new Figures(jobs, Duration.ZERO, robots, 0, 0);
        }
    }

    /** Reads the figures now, on one connection. */
    public Figures read() {
        return Jdbi3.call("metrics", () -> jdbi.withHandle(h -> figures(jobRows(h), robotRows(h))));
    }

    /** One group of live jobs: a state and the robot holding them (none for pending ones). */
    private record JobRow(JobState state, String robotId, long count, Optional<Instant> oldestDispatchable, Instant now) {}

    private record RobotRow(String id, String status, boolean maintenance, int slots) {}

    private static List<JobRow> jobRows(Handle h) {
        // A job held by max_concurrent_schedules may not be dispatched: it waits for the bound, not for a robot.
        return h.createQuery("SELECT state, robot_id, COUNT(*), MIN(CASE WHEN state = 'pending' AND held_by IS NULL"
                        + " AND run_after <= CURRENT_TIMESTAMP THEN run_after END), CURRENT_TIMESTAMP FROM jobs WHERE " + JobTransitions.stateIn("", EnumSet.copyOf(LIVE))
                        + " GROUP BY state, robot_id")
                .map((rs, ctx) -> new JobRow(JobState.fromWire(rs.getString(1)).orElseThrow(), rs.getString(2), rs.getLong(3),
                        Jdbi3.instant(rs.getObject(4)), Jdbi3.instant(rs.getObject(5)).orElseThrow()))
                .list();
    }

    private static List<RobotRow> robotRows(Handle h) {
        return h.createQuery("SELECT id, status, maintenance, max_concurrent_jobs FROM robots")
                .map((rs, ctx) -> new RobotRow(rs.getString(1), rs.getString(2), rs.getBoolean(3), rs.getInt(4)))
                .list();
    }

    private static Figures figures(List<JobRow> jobRows, List<RobotRow> robotRows) {
        Figures zero = Figures.none();
        Map<JobState, Long> jobs = new EnumMap<>(zero.jobs());
        Map<String, Long> leased = new HashMap<>();
        Duration oldest = Duration.ZERO;
        for (JobRow j : jobRows) {
            jobs.merge(j.state(), j.count(), Long::sum);
            if (j.robotId() != null && j.state().leased()) {
                leased.merge(j.robotId(), j.count(), Long::sum);
            }
            Duration waited = j.oldestDispatchable().map(since -> Duration.between(since, j.now())).orElse(Duration.ZERO);
            oldest = waited.compareTo(oldest) > 0 ? waited : oldest;
        }
        Map<String, Long> robots = new HashMap<>(zero.robots());
        long used = 0;
        long free = 0;
        for (RobotRow r : robotRows) {
            robots.merge(r.status(), 1L, Long::sum);
            if (!r.status().equals("offline")) {
                long held = leased.getOrDefault(r.id(), 0L);
                used += held;
                free += r.maintenance() ? 0 : Math.max(0, r.slots() - held);
            }
        }
        return new Figures(jobs, oldest, robots, used, free);
    }
}
