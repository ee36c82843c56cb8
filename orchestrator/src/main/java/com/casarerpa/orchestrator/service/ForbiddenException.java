package com.casarerpa.orchestrator.service;

import com.casarerpa.orchestrator.error.OrchestratorException;

/** The caller is authenticated but may not act on this thing (HTTP 403); the message says why. */
public class ForbiddenException extends OrchestratorException {
    public ForbiddenException(String message) {
        super(403, "forbidden", message);
    }
}
