package com.casarerpa.orchestrator.store;

import com.casarerpa.orchestrator.error.OrchestratorException;

/**
 * Something went wrong at the database boundary. Every {@link java.sql.SQLException} is wrapped
 * once, in a subclass named for the condition; the message is written for an operator (what
 * happened, what to do) and never contains a password. To a client it is an internal error
 * (500, its cause logged), except {@link DatabaseUnavailableException} (503, retryable).
 */
public abstract class StoreException extends OrchestratorException {
    protected StoreException(String message, Throwable cause) {
        this(500, "internal_error", false, message, cause);
    }

    protected StoreException(int status, String code, boolean retryable, String message, Throwable cause) {
        super(status, code, retryable, message, cause);
    }

    /** The operator's message stays in the log. */
    @Override
    public String clientMessage() {
        return "The server failed to handle this request; its log has the cause under this request id.";
    }
}
