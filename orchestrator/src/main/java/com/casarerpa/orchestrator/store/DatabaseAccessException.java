package com.casarerpa.orchestrator.store;

/** A statement failed on a connection that was open: the SQL, the data or the server said no. */
public class DatabaseAccessException extends StoreException {
    public DatabaseAccessException(String message, Throwable cause) {
        super(message, cause);
    }
}
