package com.casarerpa.protocol.rest;

import java.time.Instant;
import java.util.List;

/** Robots as the REST API shows them (schema {@code Robot}; the metrics and heartbeat answers of COMPAT.md). */
public final class RobotBodies {
    private RobotBodies() {}

    public record Robot(String id, String name, String hostname, String status, boolean maintenance,
            List<String> capabilities, List<String> tags, String environment, int maxConcurrentJobs,
            List<String> currentJobs, Instant lastHeartbeat, Double cpuPercent, Double memoryPercent, Double memoryMb,
            String protocol, String agentVersion, Instant registeredAt) {}

    /** {@code GET /api/v1/metrics/robots/{id}} as existing agents read it. */
    public record RobotMetrics(String robotId, String hostname, String status, Double cpuPercent, Double memoryPercent,
            Double memoryMb, String currentJobId, int currentJobCount, Instant lastHeartbeat) {}

    /** The answer of {@code POST /api/v1/robots/{id}/heartbeat}. */
    public record HeartbeatAck(boolean ok, Instant timestamp) {}
}
