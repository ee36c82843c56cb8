package com.casarerpa.testkit;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Who an {@link AutoRobot} is and how it behaves.
 *
 * @param key            the robot API key it connects with
 * @param servers        the {@code /ws/robots} addresses it may connect to, its own first
 * @param robotId        the {@code robot_id} it registers with; {@code null} lets the server choose
 * @param name           the {@code name} it registers with, or {@code null}
 * @param hostname       the {@code hostname} it registers with
 * @param slots          its {@code max_concurrent_jobs}
 * @param agentVersion   the {@code agent_version} it registers with, or {@code null}
 * @param reconnect      whether a closed or broken connection is opened again (to the first
 *                       server that answers, its own first); without, the robot stays closed
 * @param heartbeatEvery how often it heartbeats; {@code null}: as {@code registered} says
 * @param minRun         the shortest time a job runs; with {@code maxRun} zero, job_completed
 *                       goes out at once, right after job_started
 * @param maxRun         the longest (exclusive when longer than {@code minRun}); each job draws its time
 */
public record RobotSetup(String key, List<URI> servers, String robotId, String name, String hostname, int slots,
        String agentVersion, boolean reconnect, Duration heartbeatEvery, Duration minRun, Duration maxRun) {

    public RobotSetup {
        require(key != null && !key.isBlank(), "key", "must be a robot API key, got " + key);
        require(servers != null && !servers.isEmpty(), "servers", "must name at least one server, got " + servers);
        servers = List.copyOf(servers);
        require(hostname != null && !hostname.isBlank(), "hostname", "must not be blank, got " + hostname);
        require(slots >= 1, "slots", "must be at least 1, got " + slots);
        require(heartbeatEvery == null || heartbeatEvery.toMillis() >= 1, "heartbeatEvery",
                "must be at least 1 ms or null, got " + heartbeatEvery);
        require(minRun != null && !minRun.isNegative(), "minRun", "must be zero or more, got " + minRun);
        require(maxRun != null && maxRun.compareTo(minRun) >= 0, "maxRun", "must be at least minRun (" + minRun + "), got " + maxRun);
    }

    /**
     * A robot for load: one server, no reconnecting, heartbeats as the server says, and every job
     * completed the moment it is assigned.
     */
    public static RobotSetup immediate(String key, URI server, String name, String hostname, String agentVersion, int slots) {
        return new RobotSetup(key, List.of(server), null, name, hostname, slots, agentVersion, false, null, Duration.ZERO,
                Duration.ZERO);
    }

    /**
     * A robot that rides out faults: {@code robotId} with 2 slots on {@code servers} (its own
     * first), reconnecting, a heartbeat every second, each job running 50 to 300 ms.
     */
    public static RobotSetup resilient(String key, String robotId, List<URI> servers) {
        return new RobotSetup(key, servers, robotId, null, "test-host", 2, null, true, Duration.ofSeconds(1),
                Duration.ofMillis(50), Duration.ofMillis(300));
    }

    /** How long the next job runs, drawn between {@link #minRun} and {@link #maxRun}. */
    long runNanos() {
        long min = minRun.toNanos();
        long max = maxRun.toNanos();
        return max > min ? ThreadLocalRandom.current().nextLong(min, max) : min;
    }

    private static void require(boolean ok, String field, String problem) {
        if (!ok) {
            throw new IllegalArgumentException("robot setup: " + field + " " + problem);
        }
    }
}
