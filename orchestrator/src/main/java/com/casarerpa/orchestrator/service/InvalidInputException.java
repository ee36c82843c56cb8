package com.casarerpa.orchestrator.service;

import com.casarerpa.orchestrator.error.OrchestratorException;
import java.util.Map;

/**
 * A field of a request is missing or wrong (HTTP 400, {@code invalid_request}); {@code field} is
 * its JSON path, empty for the body as a whole (shown as {@code body}).
 */
public class InvalidInputException extends OrchestratorException {
    private final String field;

    public InvalidInputException(String field, String message) {
        super(400, "invalid_request", message);
        this.field = field;
    }

    public String field() {
        return field;
    }

    @Override
    public Map<String, Object> details() {
        return Map.of("field", shownField());
    }

    /** {@code field: message}, as every bad-field error reads. */
    @Override
    public String clientMessage() {
        return shownField() + ": " + getMessage();
    }

    private String shownField() {
        return field.isEmpty() ? "body" : field;
    }
}
