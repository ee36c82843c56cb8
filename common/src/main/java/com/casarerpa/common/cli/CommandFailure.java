package com.casarerpa.common.cli;

/**
 * A command could not do what was asked, for a reason the user can act on. The launcher prints
 * the message as one line on stderr (no stack trace) and exits with {@link #exitCode()}.
 */
public class CommandFailure extends RuntimeException {
    private final int exitCode;

    public CommandFailure(String message) {
        this(message, 1, null);
    }

    public CommandFailure(String message, Throwable cause) {
        this(message, 1, cause);
    }

    public CommandFailure(String message, int exitCode, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
