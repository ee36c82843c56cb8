package com.casarerpa.orchestrator.service;

import java.util.List;

/**
 * Something that refers to workflows and must be asked before one is deleted: jobs pin a
 * workflow version, schedules and webhooks start a workflow. Each such part registers one
 * provider with {@link WorkflowService}; a delete is refused (409) while any provider reports a
 * reference, unless the caller asks for {@code cascade}, in which case every provider removes its
 * references first. Jobs ({@link JobReferences}) and triggers ({@link TriggerReferences}) are
 * the providers; {@code app/Components} registers them.
 */
public interface WorkflowReferences {
    /** What refers to the workflow, for people ({@code "3 pending jobs"}); empty when nothing does. */
    List<String> describe(String workflowId);

    /** Removes (or detaches) every reference to the workflow; called for a cascading delete. */
    void remove(String workflowId);
}
