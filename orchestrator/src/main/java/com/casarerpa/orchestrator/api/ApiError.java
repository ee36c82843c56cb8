package com.casarerpa.orchestrator.api;

import com.casarerpa.orchestrator.error.OrchestratorException;
import java.util.Map;

/**
 * An error a route finds itself (a bad parameter, a body too large, a rate limit), rendered by
 * {@link ErrorMapper} as every {@link OrchestratorException} is. Throw it from any handler; never
 * write error bodies by hand. Retryable when its status is 429 or 503.
 */
public class ApiError extends OrchestratorException {
    private final Map<String, Object> details;

    public ApiError(int status, String code, String message, Map<String, Object> details) {
        super(status, code, ErrorMapper.retryable(status), message, null);
        this.details = Map.copyOf(details);
    }

    public static ApiError notFound(String message) {
        return new ApiError(404, "not_found", message, Map.of());
    }

    /** A request field is missing or wrong; {@code field} is its JSON path. */
    public static ApiError invalidField(String field, String message) {
        return new ApiError(400, "invalid_request", field + ": " + message, Map.of("field", field));
    }

    public static ApiError unavailable(String message, Map<String, Object> details) {
        return new ApiError(503, "unavailable", message, details);
    }

    @Override
    public Map<String, Object> details() {
        return details;
    }
}
