package com.casarerpa.orchestrator.domain;

/**
 * A cron expression that cannot be used: {@link #part()} names what is wrong ({@code minute},
 * {@code hour}, {@code day-of-month}, {@code month}, {@code day-of-week}, or {@code expression}
 * for its overall shape), the message says why and what would be right.
 */
public final class InvalidCronException extends RuntimeException {
    private final String part;

    public InvalidCronException(String part, String message) {
        super(message);
        this.part = part;
    }

    public String part() {
        return part;
    }
}
