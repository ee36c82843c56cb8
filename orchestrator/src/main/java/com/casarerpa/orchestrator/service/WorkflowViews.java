package com.casarerpa.orchestrator.service;

import com.casarerpa.orchestrator.domain.FolderTree;
import com.casarerpa.orchestrator.domain.JobState;
import com.casarerpa.orchestrator.domain.Workflow;
import com.casarerpa.orchestrator.domain.WorkflowHealth;
import com.casarerpa.orchestrator.workflow.WorkflowVersion;
import com.casarerpa.protocol.rest.WorkflowBodies;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * The JSON shapes of workflows on the wire ({@link WorkflowBodies}: REST answers, CLI
 * {@code --json}), in one place so the API and the CLI agree. {@code workflow_data} is shown
 * with the values of sensitive variables hidden ({@link SensitiveValues}), to every role; its
 * {@code checksum} stays the stored definition's.
 */
public final class WorkflowViews {
    private WorkflowViews() {}

    /** {@code id, name, description, tags, latest_version, created_at, updated_at, created_by, folder}. */
    public static WorkflowBodies.Workflow summary(Workflow w, FolderTree tree) {
        return new WorkflowBodies.Workflow(w.id(), w.name(), w.description(), w.tags(), w.latestVersion(), w.createdAt(),
                w.updatedAt(), w.createdBy(), FolderAccess.ref(tree, w.folderId()));
    }

    /** The summary with its health and its jobs of the last 24 hours ({@code GET /api/v1/workflows}). */
    public static WorkflowBodies.ListedWorkflow listed(Workflow w, WorkflowHealth h, FolderTree tree) {
        return new WorkflowBodies.ListedWorkflow(summary(w, tree), health(h), jobs(h));
    }

    /** The detail with its health and its jobs of the last 24 hours ({@code GET /api/v1/workflows/{id}}). */
    public static WorkflowBodies.ShownWorkflow shown(Workflow w, WorkflowVersion v, WorkflowHealth h, FolderTree tree) {
        return new WorkflowBodies.ShownWorkflow(detail(w, v, tree), health(h), jobs(h));
    }

    private static WorkflowBodies.Health health(WorkflowHealth h) {
        return new WorkflowBodies.Health(h.lastOutcome().map(JobState::wireName).orElse(null), h.lastFinishedAt().orElse(null),
                h.failingStreak(), h.lastSuccessAt().orElse(null), h.recoveredAt().orElse(null));
    }

    private static WorkflowBodies.JobCounts jobs(WorkflowHealth h) {
        return new WorkflowBodies.JobCounts(h.succeeded24h(), h.failed24h());
    }

    /** The summary plus one version: {@code version, checksum, size_bytes, node_count, version_created_at, workflow_data}. */
    public static WorkflowBodies.WorkflowDetail detail(Workflow w, WorkflowVersion v, FolderTree tree) {
        return new WorkflowBodies.WorkflowDetail(summary(w, tree), v.version(), v.definition().checksum(), v.definition().sizeBytes(),
                v.definition().nodeCount(), v.createdAt(), v.createdBy(), shown(v));
    }

    /** A deploy's answer: the detail plus {@code created} (true for version 1 of a new workflow). */
    public static WorkflowBodies.Deployment deployment(Deployment d, FolderTree tree) {
        return new WorkflowBodies.Deployment(detail(d.workflow(), d.version(), tree), d.created(), null);
    }

    /** One version: {@code workflow_id, version, checksum, size_bytes, node_count, created_at, created_by[, workflow_data]}. */
    public static WorkflowBodies.WorkflowVersion version(WorkflowVersion v, boolean withData) {
        return new WorkflowBodies.WorkflowVersion(v.workflowId(), v.version(), v.definition().checksum(),
                v.definition().sizeBytes(), v.definition().nodeCount(), v.createdAt(), v.createdBy(),
                withData ? shown(v) : null);
    }

    private static JsonNode shown(WorkflowVersion v) {
        return SensitiveValues.definition(v.definition().json()).json();
    }
}
