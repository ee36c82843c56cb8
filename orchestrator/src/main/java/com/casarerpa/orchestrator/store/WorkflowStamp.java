package com.casarerpa.orchestrator.store;

import org.jdbi.v3.core.statement.Query;

/**
 * What a submit took its workflow to be when it read it from a cache: its latest version, its
 * folder and its name. The submit's transaction checks it against the row as it is then
 * ({@link JobStore#submit(JobStore.NewJob, java.util.Optional, java.util.Optional)}) and stores
 * nothing when the workflow changed since: {@link StaleWorkflowException}.
 */
public record WorkflowStamp(int latestVersion, String folderId, String name) {
    /** The condition on the workflow {@code :workflow} that holds while the stamp does. */
    static final String STILL_SO = "SELECT w.latest_version FROM workflows w WHERE w.id = :stampWorkflow"
            + " AND w.latest_version = :stampLatest AND w.folder_id = :stampFolder AND w.name = :stampName";

    /** Binds {@link #STILL_SO}'s parameters for the workflow {@code workflowId}. */
    Query bind(Query query, String workflowId) {
        return query.bind("stampWorkflow", workflowId).bind("stampLatest", latestVersion).bind("stampFolder", folderId)
                .bind("stampName", name);
    }
}
