package com.casarerpa.orchestrator.service;

import com.casarerpa.orchestrator.error.OrchestratorException;

/** The thing asked for does not exist (HTTP 404); the message names it. */
public class NotFoundException extends OrchestratorException {
    public NotFoundException(String message) {
        super(404, "not_found", message);
    }
}
