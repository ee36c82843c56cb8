package com.casarerpa.orchestrator.service;

/**
 * A webhook request whose signature, key, timestamp or delivery id does not hold (HTTP 401).
 * Nothing was changed. The message says what was wrong without revealing the secret.
 */
public final class WebhookRejected extends RuntimeException {
    public WebhookRejected(String message) {
        super(message);
    }
}
