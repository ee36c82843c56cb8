package com.casarerpa.orchestrator.store;

/** A row with the same unique key exists already (a name taken, a version written concurrently). */
public final class UniqueViolationException extends DatabaseAccessException {
    public UniqueViolationException(String message, Throwable cause) {
        super(message, cause);
    }
}
