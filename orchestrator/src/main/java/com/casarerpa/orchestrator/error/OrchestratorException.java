package com.casarerpa.orchestrator.error;

import java.util.Map;

/**
 * The root of every exception the orchestrator means a client to see: an HTTP-like
 * {@link #status()}, a stable machine-readable {@link #code()} ({@code not_found},
 * {@code stale_lease}, …) and whether the same request may work if sent again
 * ({@link #retryable()}). The REST API renders it in {@code api/ErrorMapper}, the robot
 * WebSocket in {@code ws/RobotMessages}; nothing else maps exceptions to errors.
 *
 * <p>A status of 500 or more that is not retryable is a defect: transports log it and show the
 * client only that it happened. This package depends on nothing of ours, so every layer (the
 * domain and the store included) can throw its subclasses.
 */
public abstract class OrchestratorException extends RuntimeException {
    private final int status;
    private final String code;
    private final boolean retryable;

    protected OrchestratorException(int status, String code, boolean retryable, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.code = code;
        this.retryable = retryable;
    }

    protected OrchestratorException(int status, String code, String message) {
        this(status, code, false, message, null);
    }

    /** The HTTP status the error answers with (the WebSocket uses it only to tell client from server faults). */
    public int status() {
        return status;
    }

    /** A stable word programs tell errors apart by; documented in docs/rest-api.md and docs/websocket-api.md. */
    public String code() {
        return code;
    }

    /** True when nothing was changed and the same request may work later (the database was unavailable, a rate limit). */
    public boolean retryable() {
        return retryable;
    }

    /** Facts for programs beside the message ({@code field}, {@code job_id}); never secrets. */
    public Map<String, Object> details() {
        return Map.of();
    }

    /** The message a client is shown: this exception's own unless it is written for an operator. */
    public String clientMessage() {
        return getMessage();
    }

    /** Whether the client caused it (status below 500) rather than the server. */
    public boolean isClientError() {
        return status < 500;
    }
}
