package com.casarerpa.protocol.ws;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** The pieces messages share: leases, held jobs, log entries, results and errors of a run. */
public final class Parts {
    private Parts() {}

    /** {@code {"job_id", "lease_token"}}: an attempt, as {@code heartbeat.jobs} lists it. */
    @JsonInclude(Include.NON_NULL)
    public record JobLease(String jobId, String leaseToken) {}

    /** A job the robot holds at {@code register}: {@code state} is {@code running} or {@code finished}. */
    @JsonInclude(Include.NON_NULL)
    public record HeldJob(String jobId, String leaseToken, String state) {}

    /** A lease renewed by a heartbeat. */
    public record RenewedLease(String jobId, String leaseToken, String leaseExpiresAt) {}

    /** A lease kept at resume; {@code cancel_requested} is {@code null}, {@code cancelled} or {@code timed_out}. */
    public record ResumedLease(String jobId, String leaseToken, String leaseExpiresAt, String cancelRequested) {}

    /** A lease that is not live, with one of the lease end reasons. */
    public record LostLease(String jobId, String leaseToken, String reason) {}

    /** One entry of a {@code log_batch}. */
    @JsonInclude(Include.NON_NULL)
    public record LogEntry(Long seq, String timestamp, String level, String message, String nodeId, String nodeType) {}

    /** The result of a run ({@code job_completed.result}, and partial in {@code job_failed}, {@code job_cancelled}). */
    @JsonInclude(Include.NON_NULL)
    public record RunResult(JsonNode variables, Long executedNodes, Long durationMs, List<String> executionPath,
            Boolean truncated) {

        /** Without the variables (a cancelled run reports none). */
        public RunResult withoutVariables() {
            return new RunResult(null, executedNodes, durationMs, executionPath, truncated);
        }
    }

    /** {@code job_failed.error}. */
    @JsonInclude(Include.NON_NULL)
    public record RunError(String type, String message, String nodeId, String nodeType, String details) {}
}
