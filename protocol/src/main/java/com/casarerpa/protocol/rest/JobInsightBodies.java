package com.casarerpa.protocol.rest;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/**
 * What the jobs dashboard reads besides jobs (schemas {@code FailureGroup}, {@code StuckJob},
 * {@code BulkDryRun} and {@code JobBatch} of the OpenAPI document). Absent values are written as
 * {@code null}.
 */
public final class JobInsightBodies {
    private JobInsightBodies() {}

    /** A workflow as a group names it. */
    public record WorkflowRef(String id, String name) {}

    /**
     * Failed and timed-out jobs of one error signature ({@code GET /api/v1/jobs/failure-groups}):
     * {@code signature} filters the listing, the CSV and the bulk actions ({@code error_signature});
     * {@code error_type} and {@code message_pattern} are what it stands for.
     */
    public record FailureGroup(String signature, String errorType, String messagePattern, long count, Instant firstAt,
            Instant lastAt, String sampleJobId, List<WorkflowRef> workflows) {}

    /**
     * A running job that has said nothing for a while ({@code GET /api/v1/jobs/stuck}):
     * {@code last_progress_at} is its newest sign of life (start, progress report, lease extension
     * or log line), {@code quiet_seconds} the time since; {@code robot_silent} when its robot has
     * not sent a heartbeat for as long either.
     */
    public record StuckJob(String id, String workflowId, String workflowName, String robotId, FolderRef folder, Instant startedAt,
            Integer progress, Instant lastProgressAt, long quietSeconds, Instant robotLastHeartbeat, String robotStatus,
            boolean robotSilent) {}

    /** The answer of a dry run of {@code POST /api/v1/jobs/bulk}: how many jobs the action would act on, and the first few. */
    public record BulkDryRun(String action, long count, List<String> sample) {}

    /** A bulk action and its progress ({@code POST /api/v1/jobs/bulk} without dry run, {@code GET /api/v1/jobs/bulk/{id}}). */
    public record JobBatch(String id, String action, JsonNode filter, String state, int total, int done, int skipped, int failed,
            String error, String createdBy, Instant createdAt, Instant updatedAt, Instant finishedAt) {}
}
