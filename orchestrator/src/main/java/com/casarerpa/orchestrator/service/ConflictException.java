package com.casarerpa.orchestrator.service;

import java.util.Map;

/** The request clashes with the current state (HTTP 409): a name taken, a workflow in use. */
public class ConflictException extends RuntimeException {
    private final Map<String, Object> details;

    public ConflictException(String message, Map<String, Object> details) {
        super(message);
        this.details = Map.copyOf(details);
    }

    public Map<String, Object> details() {
        return details;
    }
}
