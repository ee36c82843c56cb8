package com.casarerpa.engine.value;

/** A condition cannot be evaluated: empty, not valid, an undefined name, a forbidden call. */
public final class ExpressionException extends RuntimeException {
    public ExpressionException(String message) {
        super(message);
    }
}
