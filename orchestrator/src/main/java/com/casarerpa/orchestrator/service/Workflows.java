package com.casarerpa.orchestrator.service;

import com.casarerpa.orchestrator.domain.AuditTrail;
import com.casarerpa.orchestrator.domain.WorkflowIds;
import com.casarerpa.orchestrator.store.WorkflowHealthQueries;
import com.casarerpa.orchestrator.store.WorkflowStore;
import java.time.Clock;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/**
 * The workflow use cases over one database, assembled the same way for the server and the CLI;
 * {@code health} reads how their jobs have been ending.
 */
public record Workflows(WorkflowService service, WorkflowTransfer transfer, WorkflowHealths health) {

    /** {@code jdbi} is the one {@link com.casarerpa.orchestrator.store.Jdbi3#of} of the database, shared with the other stores. */
    public static Workflows on(Jdbi jdbi, AuditTrail audit, List<WorkflowReferences> references, Clock clock) {
        WorkflowStore store = new WorkflowStore(jdbi);
        FolderAccess folders = FolderAccess.on(jdbi);
        return new Workflows(new WorkflowService(store, folders, audit, references, clock, WorkflowIds::random),
                new WorkflowTransfer(store, folders, audit, clock), new WorkflowHealths(new WorkflowHealthQueries(jdbi)));
    }
}
