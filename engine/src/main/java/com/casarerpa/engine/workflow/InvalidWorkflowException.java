package com.casarerpa.engine.workflow;

/** The workflow JSON cannot run as it is; the message says what is wrong and where. */
public final class InvalidWorkflowException extends RuntimeException {
    public InvalidWorkflowException(String message) {
        super(message);
    }
}
