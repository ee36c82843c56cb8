package com.casarerpa.protocol.rest;

import java.time.Instant;
import java.util.List;

/**
 * Robots as the REST API shows them (schema {@code Robot}; the metrics and heartbeat answers of
 * COMPAT.md). {@code folders}: the folders a robot serves, with everything below them.
 * {@code connection}: {@code connected}, {@code lost} (its WebSocket closed without a goodbye; it
 * goes offline at {@code offlineAt} unless it reconnects) or {@code none} (REST robots, offline ones).
 */
public final class RobotBodies {
    private RobotBodies() {}

    public record Robot(String id, String name, String hostname, String status, boolean maintenance,
            List<String> capabilities, List<String> tags, String environment, int maxConcurrentJobs,
            List<String> currentJobs, Instant lastHeartbeat, Double cpuPercent, Double memoryPercent, Double memoryMb,
            String protocol, String agentVersion, Instant registeredAt, List<FolderRef> folders, int slotsUsed,
            int slotsTotal, List<HeldJob> currentJobDetails, List<String> nodeTypes, String instance, String connection,
            Instant offlineAt) {}

    /** A job a robot holds now: {@code state} assigned or running; {@code started_at} null until it runs. */
    public record HeldJob(String id, String workflowId, String workflowName, String state, Instant startedAt) {}

    /** One minute of a robot's measurements ({@code at}: the minute's start). */
    public record Sample(Instant at, Double cpuPercent, Double memoryPercent, Double memoryMb) {}

    /** A folder a robot serves: its id and its path from the root ({@code Default/Finance}). */
    public record FolderRef(String id, String path) {}

    /** {@code GET|PUT /api/v1/robots/{id}/folders}: the folders a robot is assigned to (the root when none). */
    public record RobotFolders(String robotId, List<FolderRef> folders) {}

    /** {@code GET /api/v1/metrics/robots/{id}} as existing agents read it. */
    public record RobotMetrics(String robotId, String hostname, String status, Double cpuPercent, Double memoryPercent,
            Double memoryMb, String currentJobId, int currentJobCount, Instant lastHeartbeat) {}

    /** The answer of {@code POST /api/v1/robots/{id}/heartbeat}. */
    public record HeartbeatAck(boolean ok, Instant timestamp) {}
}
