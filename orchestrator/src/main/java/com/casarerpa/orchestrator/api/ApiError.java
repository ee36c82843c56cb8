package com.casarerpa.orchestrator.api;

import java.util.Map;

/**
 * An error a client caused or must know about, rendered by {@link ErrorMapper} as
 * {@code {"error":{"code","message","details"},"request_id"}} with {@link #status()}.
 * Throw it from any handler; never write error bodies by hand.
 */
public class ApiError extends RuntimeException {
    private final int status;
    private final String code;
    private final Map<String, Object> details;

    public ApiError(int status, String code, String message, Map<String, Object> details) {
        super(message);
        this.status = status;
        this.code = code;
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

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public Map<String, Object> details() {
        return details;
    }
}
