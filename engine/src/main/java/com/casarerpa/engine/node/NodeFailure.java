package com.casarerpa.engine.node;

/**
 * A node failed. {@code type} is a stable name reported as the error type (and as
 * {@code error_type} to a CatchNode); {@code retryable} is false when running the job again
 * cannot help (a configuration or workflow mistake, a disabled feature).
 */
public final class NodeFailure extends RuntimeException {
    private final String type;
    private final boolean retryable;

    public NodeFailure(String type, String message, boolean retryable) {
        super(message);
        this.type = type;
        this.retryable = retryable;
    }

    public NodeFailure(String type, String message, Throwable cause) {
        super(message, cause);
        this.type = type;
        this.retryable = true;
    }

    /** The workflow asks for something impossible (missing or bad parameter): not retryable. */
    public static NodeFailure config(String message) {
        return new NodeFailure("ConfigurationError", message, false);
    }

    public String type() {
        return type;
    }

    public boolean retryable() {
        return retryable;
    }
}
