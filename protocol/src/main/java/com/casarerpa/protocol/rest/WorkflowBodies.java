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

    /** One version; {@code workflow_data} only when asked for. */
    public record WorkflowVersion(String workflowId, int version, String checksum, long sizeBytes, int nodeCount,
            Instant createdAt, String createdBy, @JsonInclude(Include.NON_NULL) JsonNode workflowData) {}
}
