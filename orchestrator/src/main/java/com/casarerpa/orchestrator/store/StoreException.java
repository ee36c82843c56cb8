package com.casarerpa.orchestrator.store;

/**
 * Something went wrong at the database boundary. Every {@link java.sql.SQLException} is wrapped
 * once, in a subclass named for the condition; the message is written for an operator (what
 * happened, what to do) and never contains a password.
 */
public abstract class StoreException extends RuntimeException {
    protected StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
