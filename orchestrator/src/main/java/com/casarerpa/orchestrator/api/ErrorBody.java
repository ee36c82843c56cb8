package com.casarerpa.orchestrator.api;

import java.util.Map;

/**
 * The one shape of every error response of the API (documented in docs/rest-api.md):
 * {@code {"error":{"code":"not_found","message":"…","details":{}},"request_id":"…"}}.
 * {@code code} is a stable machine-readable word; {@code message} is for people.
 */
public record ErrorBody(Detail error, String requestId) {

    public record Detail(String code, String message, Map<String, Object> details) {}

    public static ErrorBody of(String code, String message, Map<String, Object> details, String requestId) {
        return new ErrorBody(new Detail(code, message, details), requestId);
    }
}
