package com.casarerpa.orchestrator.ws;

import com.casarerpa.orchestrator.error.OrchestratorException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A robot message refused with an {@code error} (docs/websocket-api.md, "Errors"). Nothing
 * changed; the connection stays open unless {@link #closeCode()} says to close after the error.
 */
final class ProtocolError extends RuntimeException {
    private static final int CLOSE_FORBIDDEN = 4003;

    private final String code;
    private final String field;
    private final boolean retryable;
    private final Map<String, Object> details;
    private final int closeCode;

    ProtocolError(String code, String message, String field, boolean retryable, Map<String, Object> details, int closeCode) {
        super(message);
        this.code = code;
        this.field = field;
        this.retryable = retryable;
        this.details = new LinkedHashMap<>(details);
        this.closeCode = closeCode;
    }

    /** A missing or wrong field; {@code field} is its JSON path ({@code entries[3].level}). */
    static ProtocolError invalid(String field, String message) {
        return new ProtocolError("invalid_request", field + ": " + message, field, false, Map.of(), 0);
    }

    /**
     * An error of the services, store or domain as the protocol states it: its code, client
     * message and {@code retryable}; a {@code field} in its details becomes the error's field.
     */
    static ProtocolError from(OrchestratorException e) {
        Map<String, Object> details = new LinkedHashMap<>(e.details());
        Object field = details.remove("field");
        return new ProtocolError(e.code(), e.clientMessage(), field == null ? null : field.toString(), e.retryable(),
                details, 0);
    }

    static ProtocolError of(String code, String message, boolean retryable) {
        return new ProtocolError(code, message, null, retryable, Map.of(), 0);
    }

    /** This key may not act as the robot (at register, or since a key was bound to it): closes with 4003. */
    static ProtocolError forbidden(String message) {
        return of("forbidden", message, false).thenClose(CLOSE_FORBIDDEN);
    }

    /** The same error, followed by a close with {@code closeCode}. */
    ProtocolError thenClose(int closeCode) {
        return new ProtocolError(code, getMessage(), field, retryable, details, closeCode);
    }

    ProtocolError with(String key, Object value) {
        details.put(key, value);
        return this;
    }

    String code() {
        return code;
    }

    String field() {
        return field;
    }

    boolean retryable() {
        return retryable;
    }

    Map<String, Object> details() {
        return details;
    }

    /** 0 when the connection stays open. */
    int closeCode() {
        return closeCode;
    }
}
