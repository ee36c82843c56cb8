package com.casarerpa.orchestrator.service;

import com.casarerpa.orchestrator.error.OrchestratorException;

/**
 * A webhook request whose signature, key, timestamp or delivery id does not hold (HTTP 401).
 * Nothing was changed. The message says what was wrong without revealing the secret.
 */
public final class WebhookRejected extends OrchestratorException {
    public WebhookRejected(String message) {
        super(401, "webhook_unauthorized", message);
    }
}
