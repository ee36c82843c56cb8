package com.casarerpa.orchestrator.service;

import com.casarerpa.orchestrator.domain.Robot;
import com.casarerpa.orchestrator.store.RobotSamples;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps a robot's cpu and memory once a minute for the dashboard's sparklines
 * ({@code GET /api/v1/robots/{id}/samples}). Heartbeats come every few seconds; this instance
 * remembers, per robot, the minute it last sampled, so most heartbeats cost a map lookup and no
 * statement; the first heartbeat of a new minute (by this instance's clock) writes one row. After
 * a restart, or when a REST robot's heartbeats reach two instances, the table's key keeps a
 * minute's second write out. Heartbeats without any measurement write nothing.
 */
public final class RobotSampling {
    /** How far back {@code minutes} may reach: the retention of samples. */
    public static final int MAX_MINUTES = 24 * 60;
    /** Writes nothing: for parts built without a server (commands, some tests). */
    public static final RobotSampling NONE = new RobotSampling(null, Clock.systemUTC());

    private final RobotSamples samples;
    private final Clock clock;
    private final Map<String, Instant> lastMinute = new ConcurrentHashMap<>();

    public RobotSampling(RobotSamples samples, Clock clock) {
        this.samples = samples;
        this.clock = clock;
    }

    /** A heartbeat of a robot that exists: a sample when this is the first of its minute. */
    void heartbeat(String robotId, Robot.Metrics m) {
        due(robotId, m).ifPresent(minute -> samples.record(robotId, minute, m));
    }

    /**
     * A heartbeat written with others ({@code GroupedHeartbeats}): the minute whose sample it
     * carries, when it is the first of its minute with a measurement, for the group to write;
     * empty when no sample is due.
     */
    public Optional<Instant> due(String robotId, Robot.Metrics m) {
        if (samples == null || (m.cpuPercent().isEmpty() && m.memoryPercent().isEmpty() && m.memoryMb().isEmpty())) {
            return Optional.empty();
        }
        Instant minute = clock.instant().truncatedTo(ChronoUnit.MINUTES);
        Instant last = lastMinute.get(robotId);
        if (last != null && !minute.isAfter(last)) {
            return Optional.empty();
        }
        lastMinute.put(robotId, minute);
        return Optional.of(minute);
    }

    /** The robot was deleted: forget its minute. */
    void forget(String robotId) {
        lastMinute.remove(robotId);
    }

    /** The robot's samples of the last {@code minutes} minutes (this one included), oldest first. */
    public List<com.casarerpa.orchestrator.domain.RobotSample> last(String robotId, int minutes) {
        if (samples == null) {
            return List.of();
        }
        Instant from = clock.instant().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(minutes - 1L));
        return samples.since(robotId, from);
    }
}
