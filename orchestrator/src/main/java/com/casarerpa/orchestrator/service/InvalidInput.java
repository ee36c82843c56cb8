package com.casarerpa.orchestrator.service;

/** A value given to a use case is wrong; {@code field} names it. The API answers 400. */
public class InvalidInput extends RuntimeException {
    private final String field;

    public InvalidInput(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
