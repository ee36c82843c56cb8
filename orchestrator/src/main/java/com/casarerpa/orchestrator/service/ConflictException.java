package com.casarerpa.orchestrator.service;

import com.casarerpa.orchestrator.error.OrchestratorException;
import java.util.Map;

/**
 * The request clashes with the current state (HTTP 409): a name taken, a workflow in use
 * ({@code conflict}), an idempotency key used for another request ({@code idempotency_conflict}).
 */
public class ConflictException extends OrchestratorException {
    private final Map<String, Object> details;

    public ConflictException(String message, Map<String, Object> details) {
        this("conflict", message, details);
    }

    /** @param code the error code clients tell conflicts apart by */
    public ConflictException(String code, String message, Map<String, Object> details) {
        super(409, code, message);
        this.details = Map.copyOf(details);
    }

    /** An idempotency key already stands for another request of the same caller. */
    static ConflictException idempotency(String field, String key) {
        return new ConflictException("idempotency_conflict", field + " \"" + key + "\" was already used for a different"
                + " request; send the same request to get its result again, or use a new key for a new request",
                Map.of("field", field));
    }

    @Override
    public Map<String, Object> details() {
        return details;
    }
}
