package com.casarerpa.protocol.rest;

import java.time.Instant;
import java.util.List;

/**
 * The dashboard's aggregates as the REST API shows them: {@code GET /api/v1/overview} (schema
 * {@code Overview}) and {@code GET /api/v1/instances} (schema {@code Instance}).
 */
public final class OverviewBodies {
    private OverviewBodies() {}

    /** {@code at}: the database's clock when the figures were read. */
    public record Overview(Instant at, RobotCounts robots, Queue queue, List<Minute> jobsPerMinute, Latency dispatchLatency,
            List<Failure> recentFailures, List<NextFire> nextFires, List<Instance> instances) {}

    /** Robots by what they do now; each robot is counted once. */
    public record RobotCounts(int online, int busy, int offline, int maintenance, int total) {}

    public record Queue(long pending, Instant oldestPendingAt, Long oldestPendingAgeSeconds) {}

    /** The jobs that finished in one minute ({@code minute}: its start), by outcome. */
    public record Minute(Instant minute, long succeeded, long failed, long cancelled, long timedOut) {}

    /** Milliseconds from dispatchable to assigned, over the last hour; null percentiles when {@code count} is 0. */
    public record Latency(Double p50Ms, Double p95Ms, Double p99Ms, long count) {}

    public record Failure(String jobId, String workflowId, String workflowName, String state, String error, Instant finishedAt) {}

    /** A schedule's next fire ({@code id}: the schedule's); {@code nextFireAt}: local time with the zone's offset then, e.g. {@code 2026-03-29T03:00:00+02:00}. */
    public record NextFire(String id, String name, String workflowId, String workflowName, String nextFireAt,
            String timezone) {}

    /** An orchestrator instance; {@code status} {@code alive} or {@code gone}. */
    public record Instance(String id, String host, Long pid, String version, String status, Instant startedAt,
            Instant lastPulseAt, Instant goneAt, String goneReason) {}
}
