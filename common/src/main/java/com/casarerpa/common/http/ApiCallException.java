package com.casarerpa.common.http;

import java.util.List;

/**
 * A call to the orchestrator's API failed: an error answer ({@code status} 4xx/5xx with the
 * body's {@code code}, message, the field at fault and the list of problems, if any) or no
 * answer ({@code status} 0).
 */
public final class ApiCallException extends RuntimeException {
    private final int status;
    private final String code;
    private final String field;
    private final List<String> problems;

    public ApiCallException(int status, String code, String message, String field) {
        this(status, code, message, field, List.of());
    }

    /**
     * @param problems the body's {@code details.problems}, each as {@code field: message}; empty
     *                 when the answer has none
     */
    public ApiCallException(int status, String code, String message, String field, List<String> problems) {
        super(message);
        this.status = status;
        this.code = code;
        this.field = field;
        this.problems = List.copyOf(problems);
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

    /** Every problem the server listed ({@code details.problems}: an invalid workflow's), as {@code field: message}. */
    public List<String> problems() {
        return problems;
    }

    /** {@code 409 conflict: Workflow … is in use}, or the transport problem alone. */
    public String describe() {
        return status == 0 ? getMessage() : status + " " + code + ": " + getMessage();
    }
}
