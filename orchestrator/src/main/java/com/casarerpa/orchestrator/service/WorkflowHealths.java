package com.casarerpa.orchestrator.service;

import com.casarerpa.orchestrator.domain.Workflow;
import com.casarerpa.orchestrator.domain.WorkflowHealth;
import com.casarerpa.orchestrator.store.WorkflowHealthQueries;
import java.util.Collection;
import java.util.Map;

/**
 * How workflows' jobs have been ending ({@link WorkflowHealth}), for workflows the caller was
 * already allowed to read: one statement per page of a listing ({@link WorkflowHealthQueries}).
 */
public final class WorkflowHealths {
    private final WorkflowHealthQueries queries;

    public WorkflowHealths(WorkflowHealthQueries queries) {
        this.queries = queries;
    }

    /** The health of each workflow, by id. */
    public Map<String, WorkflowHealth> of(Collection<Workflow> workflows) {
        return queries.of(workflows.stream().map(Workflow::id).distinct().toList());
    }
}
