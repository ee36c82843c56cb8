package com.casarerpa.common.cli;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A command could not do what was asked, for a reason the user can act on. The launcher prints
 * the message as one line on stderr (no stack trace) and exits with {@link #exitCode()}; a list
 * of problems ({@link #listing}) gets one line each.
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

    /**
     * Every problem of {@code subject} (a file, a request), so that one run shows all that needs
     * fixing: {@code subject: problem} for one, else {@code subject:} and one indented line each.
     * The caller bounds the list (a validator's cap).
     */
    public static CommandFailure listing(String subject, List<String> problems, Throwable cause) {
        if (problems.size() <= 1) {
            return new CommandFailure(problems.isEmpty() ? subject : subject + ": " + problems.getFirst(), cause);
        }
        return new CommandFailure(subject + ":" + problems.stream().map(p -> "\n  " + p).collect(Collectors.joining()), cause);
    }

    public int exitCode() {
        return exitCode;
    }
}
