package com.casarerpa.protocol.ws;

import com.casarerpa.protocol.ws.Parts.HeldJob;
import com.casarerpa.protocol.ws.Parts.JobLease;
import com.casarerpa.protocol.ws.Parts.LogEntry;
import com.casarerpa.protocol.ws.Parts.RunError;
import com.casarerpa.protocol.ws.Parts.RunResult;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonTypeName;
import java.util.List;

/**
 * A message from a robot to the server (docs/websocket-api.md, "Robot → server"). {@code id} is
 * the envelope's: {@code null} until the sender numbers the message. Absent optional fields are
 * {@code null} and are not written.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(RobotMessage.Register.class), @JsonSubTypes.Type(RobotMessage.Heartbeat.class),
    @JsonSubTypes.Type(RobotMessage.JobStarted.class), @JsonSubTypes.Type(RobotMessage.JobProgress.class),
    @JsonSubTypes.Type(RobotMessage.LogBatch.class), @JsonSubTypes.Type(RobotMessage.LeaseExtend.class),
    @JsonSubTypes.Type(RobotMessage.JobCompleted.class), @JsonSubTypes.Type(RobotMessage.JobFailed.class),
    @JsonSubTypes.Type(RobotMessage.JobCancelled.class), @JsonSubTypes.Type(RobotMessage.JobRelease.class),
    @JsonSubTypes.Type(RobotMessage.Goodbye.class)
})
public sealed interface RobotMessage {
    String id();

    /** The job messages: each names its attempt by {@code job_id} and {@code lease_token}. */
    sealed interface JobReport extends RobotMessage {
        String jobId();

        String leaseToken();
    }

    @JsonTypeName("register")
    @JsonInclude(Include.NON_NULL)
    record Register(String id, Integer protocolVersion, Integer minProtocolVersion, String robotId, String name,
            String hostname, List<String> capabilities, List<String> nodeTypes, List<String> tags, String environment,
            Integer maxConcurrentJobs, String agentVersion, String os, List<HeldJob> jobs) implements RobotMessage {}

    @JsonTypeName("heartbeat")
    @JsonInclude(Include.NON_NULL)
    record Heartbeat(String id, Double cpuPercent, Double memoryPercent, Long memoryMb, List<JobLease> jobs)
            implements RobotMessage {}

    @JsonTypeName("job_started")
    @JsonInclude(Include.NON_NULL)
    record JobStarted(String id, String jobId, String leaseToken, String startedAt) implements JobReport {}

    @JsonTypeName("job_progress")
    @JsonInclude(Include.NON_NULL)
    record JobProgress(String id, String jobId, String leaseToken, Double percent, String nodeId, String nodeType,
            Integer executedNodes, String message) implements JobReport {}

    @JsonTypeName("log_batch")
    @JsonInclude(Include.NON_NULL)
    record LogBatch(String id, String jobId, String leaseToken, List<LogEntry> entries) implements JobReport {}

    @JsonTypeName("lease_extend")
    @JsonInclude(Include.NON_NULL)
    record LeaseExtend(String id, String jobId, String leaseToken, Long extensionSeconds) implements JobReport {}

    @JsonTypeName("job_completed")
    @JsonInclude(Include.NON_NULL)
    record JobCompleted(String id, String jobId, String leaseToken, RunResult result) implements JobReport {}

    @JsonTypeName("job_failed")
    @JsonInclude(Include.NON_NULL)
    record JobFailed(String id, String jobId, String leaseToken, RunError error, Boolean retryable, RunResult result)
            implements JobReport {}

    /** {@code reply_to} is the {@code id} of the {@code job_cancel} it confirms, when known. */
    @JsonTypeName("job_cancelled")
    @JsonInclude(Include.NON_NULL)
    record JobCancelled(String id, String replyTo, String jobId, String leaseToken, String reason, Boolean wasRunning,
            RunResult result) implements JobReport {}

    @JsonTypeName("job_release")
    @JsonInclude(Include.NON_NULL)
    record JobRelease(String id, String jobId, String leaseToken, String reason, String message) implements JobReport {}

    @JsonTypeName("goodbye")
    @JsonInclude(Include.NON_NULL)
    record Goodbye(String id, String reason) implements RobotMessage {}
}
