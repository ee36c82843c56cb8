package com.casarerpa.orchestrator.store;

/**
 * A submit made with a cached workflow found the workflow changed (a new version deployed, moved
 * to another folder, renamed or deleted) within its own transaction, which stored nothing: read
 * the workflow again and submit again.
 */
public final class StaleWorkflowException extends StoreException {
    public StaleWorkflowException(String workflowId) {
        super("workflow " + workflowId + " changed since it was cached", null);
    }
}
