package com.casarerpa.orchestrator.service;

/**
 * Credentials are missing, unknown, expired or revoked. The message says which, without
 * repeating the credential; the API answers 401.
 */
public class NotAuthenticated extends RuntimeException {
    public NotAuthenticated(String message) {
        super(message);
    }
}
