package com.casarerpa.orchestrator.store;

import java.util.List;

/** The schema is behind this build: thrown by {@link Migrations#requireCurrent()}. */
public class PendingMigrationsException extends StoreException {
    private final List<MigrationStatus> pending;

    public PendingMigrationsException(List<MigrationStatus> pending, String message) {
        super(message, null);
        this.pending = List.copyOf(pending);
    }

    public List<MigrationStatus> pending() {
        return pending;
    }
}
