package com.casarerpa.orchestrator.service;

/** The thing asked for does not exist; the API answers 404 with this message. */
public class NotFound extends RuntimeException {
    public NotFound(String message) {
        super(message);
    }
}
