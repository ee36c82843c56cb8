package com.casarerpa.orchestrator.store;

/**
 * Flyway could not read, validate or apply the migrations (a failed migration, an edited
 * migration that was already applied, a non-empty schema without history, a SQL error). The
 * message is Flyway's explanation folded into one line.
 */
public class MigrationFailedException extends StoreException {
    public MigrationFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
