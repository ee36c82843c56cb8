package com.casarerpa.orchestrator.service;

/** The thing asked for does not exist (HTTP 404); the message names it. */
public class NotFoundException extends RuntimeException {
    public NotFoundException(String message) {
        super(message);
    }
}
