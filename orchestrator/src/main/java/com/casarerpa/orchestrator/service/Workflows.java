package com.casarerpa.orchestrator.service;

import com.casarerpa.orchestrator.domain.WorkflowIds;
import com.casarerpa.orchestrator.store.Database;
import com.casarerpa.orchestrator.store.WorkflowStore;
import java.time.Clock;
import java.util.List;

/** The workflow use cases over one database, assembled the same way for the server and the CLI. */
public record Workflows(WorkflowService service, WorkflowTransfer transfer) {

    public static Workflows on(Database database, AuditTrail audit, List<WorkflowReferences> references, Clock clock) {
        WorkflowStore store = new WorkflowStore(database);
        return new Workflows(new WorkflowService(store, audit, references, clock, WorkflowIds::random),
                new WorkflowTransfer(store, audit, clock));
    }
}
