package com.casarerpa.orchestrator.domain;

import com.casarerpa.orchestrator.error.OrchestratorException;

/**
 * A cron expression that cannot be used: {@link #part()} names what is wrong ({@code minute},
 * {@code hour}, {@code day-of-month}, {@code month}, {@code day-of-week}, or {@code expression}
 * for its overall shape), the message says why and what would be right. Services turn it into an
 * error naming the request's field; on its own it is a 400 {@code invalid_request}.
 */
public final class InvalidCronException extends OrchestratorException {
    private final String part;

    public InvalidCronException(String part, String message) {
        super(400, "invalid_request", message);
        this.part = part;
    }

    public String part() {
        return part;
    }
}
