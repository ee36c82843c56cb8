package com.casarerpa.orchestrator.workflow;

import com.casarerpa.orchestrator.workflow.WorkflowDefinition;
import java.time.Instant;

/**
 * One immutable definition of a workflow. Versions are numbered 1, 2, … per workflow and never
 * change once written, so a job can pin the version it runs.
 */
public record WorkflowVersion(String workflowId, int version, WorkflowDefinition definition, Instant createdAt,
        String createdBy) {}
