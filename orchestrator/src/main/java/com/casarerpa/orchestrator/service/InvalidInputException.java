package com.casarerpa.orchestrator.service;

/** A field of a request is missing or wrong (HTTP 400); {@code field} is its JSON path. */
public class InvalidInputException extends RuntimeException {
    private final String field;

    public InvalidInputException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
