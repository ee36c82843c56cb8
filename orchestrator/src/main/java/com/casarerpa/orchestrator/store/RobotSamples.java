package com.casarerpa.orchestrator.store;

import static com.casarerpa.orchestrator.store.Jdbi3.instant;
import static com.casarerpa.orchestrator.store.Jdbi3.ts;

import com.casarerpa.orchestrator.domain.Robot;
import com.casarerpa.orchestrator.domain.RobotSample;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * A robot's cpu and memory, one row a minute at most ({@code robot_samples}, V24): the primary
 * key (robot, minute) keeps a second write of the same minute (another instance's, a REST robot
 * heard by two instances) out.
 */
public final class RobotSamples {
    private final Jdbi jdbi;

    public RobotSamples(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * Stores the sample of {@code minute} unless that minute has one already. False when it had
     * (nothing changed).
     */
    public boolean record(String robotId, Instant minute, Robot.Metrics m) {
        try {
            return Jdbi3.call("robot samples", () -> jdbi.withHandle(h -> bind(h.createUpdate(INSERT), robotId, minute, m)
                    .execute())) == 1;
        } catch (UniqueViolationException e) {
            return false; // written by another instance meanwhile
        }
    }

    private static final String INSERT = "INSERT INTO robot_samples (robot_id, sampled_at, cpu_percent, memory_percent, memory_mb)"
            + " SELECT :robot, :at, :cpu, :mem, :mb FROM robots r WHERE r.id = :robot AND NOT EXISTS"
            + " (SELECT 1 FROM robot_samples s WHERE s.robot_id = :robot AND s.sampled_at = :at)";

    /**
     * The samples of a group of heartbeats, in the group's transaction ({@link GroupedHeartbeats}):
     * as {@link #record}, a minute that has one already is left alone (on PostgreSQL also when
     * another instance writes it at the same moment: its key conflict would fail the group).
     */
    static void recordAll(org.jdbi.v3.core.Handle h, Dialect dialect, List<GroupedHeartbeats.Heartbeat> beats) {
        var batch = h.prepareBatch(INSERT + (dialect == Dialect.POSTGRESQL ? " ON CONFLICT DO NOTHING" : ""));
        beats.forEach(b -> bind(batch, b.robotId(), b.sampleAt().orElseThrow(), b.metrics()).add());
        if (!beats.isEmpty()) {
            batch.execute();
        }
    }

    private static <T extends org.jdbi.v3.core.statement.SqlStatement<T>> T bind(T statement, String robotId, Instant minute,
            Robot.Metrics m) {
        return statement.bind("robot", robotId).bind("at", ts(minute)).bind("cpu", m.cpuPercent().orElse(null))
                .bind("mem", m.memoryPercent().orElse(null)).bind("mb", m.memoryMb().orElse(null));
    }

    /** The robot's samples from {@code from} on, oldest first. */
    public List<RobotSample> since(String robotId, Instant from) {
        return Jdbi3.call("robot samples", () -> jdbi.withHandle(h -> h.createQuery("SELECT sampled_at, cpu_percent,"
                        + " memory_percent, memory_mb FROM robot_samples WHERE robot_id = :robot AND sampled_at >= :from"
                        + " ORDER BY sampled_at")
                .bind("robot", robotId).bind("from", ts(from))
                .map((rs, ctx) -> new RobotSample(instant(rs.getObject(1)).orElseThrow(), number(rs, 2), number(rs, 3), number(rs, 4)))
                .list()));
    }

    /** Deletes the samples older than {@code before} (through {@code robot_samples_pruning}); how many. */
    public int deleteBefore(Instant before) {
        return Jdbi3.call("robot samples", () -> jdbi.withHandle(h -> h.createUpdate(
                "DELETE FROM robot_samples WHERE sampled_at < :before").bind("before", ts(before)).execute()));
    }

    private static Optional<Double> number(ResultSet rs, int column) throws SQLException {
        double v = rs.getDouble(column);
        return rs.wasNull() ? Optional.empty() : Optional.of(v);
    }
}
