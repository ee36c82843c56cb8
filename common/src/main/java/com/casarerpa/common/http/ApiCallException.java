package com.casarerpa.common.http;

/**
 * A call to the orchestrator's API failed: an error answer ({@code status} 4xx/5xx with the
 * body's {@code code}, message and the field at fault, if any) or no answer ({@code status} 0).
 */
public final class ApiCallException extends RuntimeException {
    private final int status;
    private final String code;
    private final String field;

    public ApiCallException(int status, String code, String message, String field) {
        super(message);
        this.status = status;
        this.code = code;
        this.field = field;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** The request field the server named, or null. */
    public String field() {
        return field;
    }

    /** {@code 409 conflict: Workflow … is in use}, or the transport problem alone. */
    public String describe() {
        return status == 0 ? getMessage() : status + " " + code + ": " + getMessage();
    }
}
