package com.casarerpa.orchestrator.service;

import com.casarerpa.orchestrator.error.OrchestratorException;

/**
 * Credentials are missing, unknown, expired or revoked. The message says which, without
 * repeating the credential; the API answers 401.
 */
public class NotAuthenticated extends OrchestratorException {
    public NotAuthenticated(String message) {
        super(401, "unauthorized", message);
    }
}
