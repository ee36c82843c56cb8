package com.casarerpa.robot.agent;

import com.casarerpa.common.json.Json;
import com.casarerpa.engine.Cancellation;
import com.casarerpa.protocol.ws.Protocol;
import com.casarerpa.protocol.ws.RobotMessage;
import com.casarerpa.protocol.ws.ServerMessage;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One attempt this robot holds, from {@code job_assign} until its final report is acked (or the
 * lease is lost). Guarded by {@link JobBook}; only the volatile progress fields are read without it.
 */
final class HeldJob {
    enum Phase { RUNNING, FINISHED }

    /** Why this robot stopped the run; decides which final report it sends. */
    enum Stop {
        /** {@code job_cancel} with reason {@code cancelled}. */
        CANCELLED("cancelled"),
        /** {@code job_cancel} with reason {@code timed_out}, or the robot's own timeout backstop. */
        TIMED_OUT("timed_out"),
        /** SIGTERM and the shutdown grace ran out: reported as {@code job_failed} {@code interrupted}. */
        SHUTDOWN("shutdown"),
        /** The lease is gone: stop at once and report nothing. */
        LOST("lost");

        final String wire;

        Stop(String wire) {
            this.wire = wire;
        }
    }

    final String jobId;
    final String leaseToken;
    final int attempt;
    final String workflowName;
    final JsonNode workflow;
    final Map<String, Object> variables;
    /** {@code timeout_seconds} of the assignment, or {@code null} for none. */
    final Integer timeoutSeconds;
    final Instant receivedAt;
    final long receivedNanos;
    final int nodeCount;
    final Cancellation cancellation = new Cancellation();
    final LogBuffer logs = new LogBuffer();
    /** Reports not acked yet, in the order they must reach the server. */
    final Deque<Report> unacked = new ArrayDeque<>();

    volatile Phase phase = Phase.RUNNING;
    volatile Stop stop;
    String cancelMessageId;
    long nextSeq = 1;
    RobotMessage.JobProgress pendingProgress;
    long lastProgressNanos;

    volatile String nodeId;
    volatile String nodeType;
    volatile int executedNodes;

    HeldJob(String jobId, String leaseToken, int attempt, String workflowName, JsonNode workflow, Map<String, Object> variables,
            Integer timeoutSeconds, Instant receivedAt, long receivedNanos) {
        this.jobId = jobId;
        this.leaseToken = leaseToken;
        this.attempt = attempt;
        this.workflowName = workflowName;
        this.workflow = workflow;
        this.variables = variables;
        this.timeoutSeconds = timeoutSeconds;
        this.receivedAt = receivedAt;
        this.receivedNanos = receivedNanos;
        JsonNode nodes = workflow == null ? null : workflow.get("nodes");
        this.nodeCount = nodes == null ? 0 : nodes.size();
    }

    /** The job of a {@code job_assign} (job_id and lease_token checked by the caller), received now. */
    static HeldJob assigned(ServerMessage.JobAssign m, Instant now) {
        return new HeldJob(m.jobId(), m.leaseToken(), Wire.orDefault(m.attempt(), 1),
                m.workflowName() == null ? "" : m.workflowName(), m.workflow(), variables(m.variables()), m.timeoutSeconds(),
                now, System.nanoTime());
    }

    /** A {@code job_progress} for a node that starts; the percentage is estimated from the workflow's node count. */
    RobotMessage.JobProgress progress(String nodeId, String nodeType, int executedNodes) {
        Double percent = nodeCount > 0 ? Math.min(99.0, Math.round(executedNodes * 1000.0 / nodeCount) / 10.0) : null;
        return new RobotMessage.JobProgress(null, jobId, leaseToken, percent, nodeId, nodeType, executedNodes, null);
    }

    /** Input variables as the engine takes them (it refuses null values, so those are left out). */
    private static Map<String, Object> variables(JsonNode node) {
        if (node == null || !node.isObject()) { // absent, or JSON null
            return Map.of();
        }
        Map<String, Object> values = Json.mapper().convertValue(node, new TypeReference<LinkedHashMap<String, Object>>() {});
        values.values().removeIf(java.util.Objects::isNull);
        return values;
    }

    /** A message the server must ack before the robot forgets it; sent again on a new connection. */
    static final class Report {
        final HeldJob job;
        final RobotMessage body;
        final boolean isFinal;
        /** The id it was sent with on the current connection, or {@code null} when it still has to go. */
        String sentAs;
        long notBeforeNanos;
        int failures;

        Report(HeldJob job, RobotMessage body, boolean isFinal) {
            this.job = job;
            this.body = body;
            this.isFinal = isFinal;
        }

        String type() {
            return Protocol.type(body);
        }
    }
}
