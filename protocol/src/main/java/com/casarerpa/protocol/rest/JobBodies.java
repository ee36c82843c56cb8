package com.casarerpa.protocol.rest;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/**
 * Jobs as the REST API shows them (schemas {@code Job}, {@code JobDetail}, {@code SubmittedJob},
 * {@code JobAttempt}, {@code JobLogEntry}, {@code ClaimedJob} of the OpenAPI document). Absent values are written as
 * {@code null}; {@code variables} and {@code result} are JSON values.
 */
public final class JobBodies {
    private JobBodies() {}

    /**
     * A job as listed, and as answered by cancel and retry; {@code folder} is its workflow's when it
     * was submitted. Its error is only summed up ({@code error_summary}: one line, at most 200
     * characters) with its signature ({@code error_signature}, as failure groups give it); the
     * full error is {@link JobDetail}'s.
     */
    public record Job(String id, String workflowId, int workflowVersion, String state, int priority, JsonNode variables,
            List<String> requiredCapabilities, List<String> tags, String environment, String idempotencyKey, int maxRetries,
            int attempt, Integer timeoutSeconds, Instant runAfter, String robotId, Instant leaseExpiresAt, String stopping,
            Integer progress, JsonNode result, String errorSummary, String errorSignature, String source, String createdBy,
            Instant createdAt, Instant updatedAt, Instant startedAt, Instant finishedAt, FolderRef folder) {}

    /**
     * {@code GET /api/v1/jobs/{id}}: the job, its full error (null when it has none), why it waits
     * (pending jobs; else null) and its attempts, oldest first.
     */
    public record JobDetail(@JsonUnwrapped Job job, JobError error, String waitingReason, List<JobAttempt> attempts) {}

    /** The answer of a submit: the job, and {@code false} when an earlier submit with the same key made it. */
    public record SubmittedJob(@JsonUnwrapped Job job, boolean created) {}

    /** {@code null} when the job (or attempt) has neither an error type nor a message. */
    public record JobError(String type, String message) {}

    public record JobAttempt(int attempt, String robotId, Instant assignedAt, Instant startedAt, Instant endedAt,
            String outcome, JobError error) {}

    public record JobLogEntry(long id, int attempt, Instant loggedAt, String level, String nodeId, String message) {}

    /**
     * A job taken through the REST pull protocol ({@code POST /api/v1/jobs/claim}): the workflow
     * as a JSON string ({@code workflow_json}), {@code claimed_at} the job's last change (its
     * assignment), {@code retry_count} the attempts before this one.
     */
    public record ClaimedJob(String jobId, String workflowId, String workflowName, int workflowVersion, String workflowJson,
            int priority, String environment, JsonNode variables, Instant createdAt, Instant claimedAt, int retryCount,
            int maxRetries, Instant leaseExpiresAt, Integer timeoutSeconds) {}

    /** The answer to {@code POST /api/v1/jobs/{id}/extend-lease}: the lease was renewed. */
    public record LeaseExtended(String jobId, boolean extended) {}

    /** The answer to {@code POST /api/v1/jobs/{id}/complete}: the completion is recorded. */
    public record CompletionRecorded(String jobId, boolean completed) {}

    /** The answer to {@code POST /api/v1/jobs/{id}/fail}: the job's state now ({@code pending} to be retried, or {@code failed}). */
    public record FailureRecorded(String jobId, String status) {}

    /** The answer to {@code POST /api/v1/jobs/{id}/release}: the job is back in the queue. */
    public record JobReleased(String jobId, boolean released) {}
}
