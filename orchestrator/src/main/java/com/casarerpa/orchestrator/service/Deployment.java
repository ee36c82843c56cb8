package com.casarerpa.orchestrator.service;

import com.casarerpa.orchestrator.domain.Workflow;
import com.casarerpa.orchestrator.workflow.WorkflowVersion;

/** What a deploy did: the workflow as it is now, the version written, and whether the workflow is new. */
public record Deployment(Workflow workflow, WorkflowVersion version, boolean created) {}
