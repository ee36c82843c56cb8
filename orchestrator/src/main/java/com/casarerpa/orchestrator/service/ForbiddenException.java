package com.casarerpa.orchestrator.service;

import com.casarerpa.orchestrator.error.OrchestratorException;
import java.util.Map;

/** The caller is authenticated but may not act on this thing (HTTP 403); the message says why. */
public class ForbiddenException extends OrchestratorException {
    private final Map<String, Object> details;

    public ForbiddenException(String message) {
        this(message, Map.of());
    }

    /** @param details facts for programs, such as {@code required_permission} and {@code folder_id} */
    public ForbiddenException(String message, Map<String, Object> details) {
        super(403, "forbidden", message);
        this.details = Map.copyOf(details);
    }

    @Override
    public Map<String, Object> details() {
        return details;
    }
}
