package com.casarerpa.orchestrator.api;

import java.util.Map;

/**
 * The one shape of every error response of the API (documented in docs/rest-api.md):
 * {@code {"error":{"code":"not_found","message":"…","retryable":false,"details":{}},"request_id":"…"}}.
 * {@code code} is a stable machine-readable word; {@code message} is for people;
 * {@code retryable} says whether the same request may work later (as in the WebSocket's errors).
 */
public record ErrorBody(Detail error, String requestId) {

    public record Detail(String code, String message, boolean retryable, Map<String, Object> details) {}

    public static ErrorBody of(String code, String message, boolean retryable, Map<String, Object> details,
            String requestId) {
        return new ErrorBody(new Detail(code, message, retryable, details), requestId);
    }
}
