package com.casarerpa.orchestrator.service;

import com.casarerpa.orchestrator.store.JobStore;
import java.util.List;

/**
 * Jobs pin a workflow version, so a workflow with jobs is not deleted unless the delete
 * cascades; then its jobs go too, finished or not (a robot running one is refused its next
 * report, since the lease is gone).
 */
public final class JobReferences implements WorkflowReferences {
    private final JobStore store;

    public JobReferences(JobStore store) {
        this.store = store;
    }

    @Override
    public List<String> describe(String workflowId) {
        JobStore.WorkflowJobCounts counts = store.countForWorkflow(workflowId);
        if (counts.total() == 0) {
            return List.of();
        }
        return List.of(counts.unfinished() + " unfinished job" + (counts.unfinished() == 1 ? "" : "s")
                + " (pending, assigned or running) of " + counts.total() + " job" + (counts.total() == 1 ? "" : "s") + " in all");
    }

    @Override
    public void remove(String workflowId) {
        store.deleteForWorkflow(workflowId);
    }
}
