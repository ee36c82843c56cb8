package com.casarerpa.orchestrator.store;

import java.util.function.Function;
import org.jdbi.v3.core.Jdbi;

/**
 * Where workflows and their versions live. Writes go through {@link #inTransaction}, so a
 * use case that reads and writes (deploy: lock the workflow, add a version, move the latest) is
 * atomic; a lone lookup on the hot path (a job submit resolving its workflow) uses {@link #read}. Throws what {@link Jdbi3#call} throws.
 */
public final class WorkflowStore {
    private final Jdbi jdbi;

    public WorkflowStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** A read that needs no transaction (one statement, or reads that need not agree): no BEGIN/COMMIT round trips. */
    public <T> T read(Function<WorkflowRows, T> work) {
        return Jdbi3.call("workflows", () -> jdbi.withHandle(h -> work.apply(new WorkflowRows(h))));
    }

    /** Runs {@code work} in one transaction; it commits when {@code work} returns and rolls back when it throws. */
    public <T> T inTransaction(Function<WorkflowRows, T> work) {
        return Jdbi3.call("workflows", () -> jdbi.inTransaction(h -> work.apply(new WorkflowRows(h))));
    }
}
