package com.casarerpa.orchestrator.service;

/** The caller is authenticated but may not act on this thing (HTTP 403); the message says why. */
public class ForbiddenException extends RuntimeException {
    public ForbiddenException(String message) {
        super(message);
    }
}
