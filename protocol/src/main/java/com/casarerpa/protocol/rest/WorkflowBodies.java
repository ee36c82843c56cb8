package com.casarerpa.protocol.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/** Workflows as the REST API and the CLI's {@code --json} show them (schemas {@code Workflow}, {@code WorkflowDetail}, {@code WorkflowVersion}). */
public final class WorkflowBodies {
    private WorkflowBodies() {}

    /** A workflow without its definition; {@code folder} is where it lives. */
    public record Workflow(String id, String name, String description, List<String> tags, int latestVersion,
            Instant createdAt, Instant updatedAt, String createdBy, FolderRef folder) {}

    /** The workflow with one version; {@code workflow_data} has the values of sensitive variables hidden. */
    public record WorkflowDetail(@JsonUnwrapped Workflow workflow, int version, String checksum, long sizeBytes,
            int nodeCount, Instant versionCreatedAt, String versionCreatedBy, JsonNode workflowData) {}

    /**
     * A deploy's answer: the detail, {@code created} (true for version 1 of a new workflow) and,
     * when the deploy made a schedule, {@code schedule}.
     */
    public record Deployment(@JsonUnwrapped WorkflowDetail detail, boolean created,
            @JsonInclude(Include.NON_NULL) TriggerBodies.Schedule schedule) {

        public Deployment withSchedule(TriggerBodies.Schedule s) {
            return new Deployment(detail, created, s);
        }
    }

    /**
     * How a workflow's jobs have been ending (failures: failed or timed out; cancelled jobs neither
     * extend nor end a streak). Times are null when there is none.
     */
    public record Health(String lastOutcome, Instant lastFinishedAt, long failingStreak, Instant lastSuccessAt,
            Instant recoveredAt) {}

    /** Jobs of the last 24 hours by outcome ({@code failed}: failed or timed out). */
    public record JobCounts(long succeeded, long failed) {}

    /**
     * A workflow in {@code GET /api/v1/workflows}: the summary, its health and its jobs of the
     * last 24 hours. ({@code jobs_24h} is named as on the wire: the naming strategy would not
     * split the digits.)
     */
    public record ListedWorkflow(@JsonUnwrapped Workflow workflow, Health health, JobCounts jobs_24h) {}

    /** {@code GET /api/v1/workflows/{id}}: the detail with the health and jobs of {@link ListedWorkflow}. */
    public record ShownWorkflow(@JsonUnwrapped WorkflowDetail detail, Health health, JobCounts jobs_24h) {}

    /** One version; {@code workflow_data} only when asked for. */
    public record WorkflowVersion(String workflowId, int version, String checksum, long sizeBytes, int nodeCount,
            Instant createdAt, String createdBy, @JsonInclude(Include.NON_NULL) JsonNode workflowData) {}
}
