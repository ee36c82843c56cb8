package com.casarerpa.orchestrator.store;

/**
 * Where workflows and their versions live. All access goes through {@link #inTransaction}, so a
 * use case that reads and writes (deploy: lock the workflow, add a version, move the latest) is
 * atomic. Throws what {@link Transactions#run} throws.
 */
public final class WorkflowStore {
    private final Database database;

    public WorkflowStore(Database database) {
        this.database = database;
    }

    /** Runs {@code work} in one transaction; it commits when {@code work} returns. */
    public <T> T inTransaction(SqlFunction<WorkflowRows, T> work) {
        return Transactions.run(database, c -> work.apply(new WorkflowRows(c)));
    }

    /** Like {@link java.util.function.Function}, but may throw {@link java.sql.SQLException}. */
    @FunctionalInterface
    public interface SqlFunction<A, T> {
        T apply(A rows) throws java.sql.SQLException;
    }
}
