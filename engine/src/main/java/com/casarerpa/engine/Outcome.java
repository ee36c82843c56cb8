package com.casarerpa.engine;

/** How a run ended. */
public enum Outcome {
    SUCCEEDED,
    FAILED,
    /** Stopped through {@link Cancellation#cancel}. */
    CANCELLED,
    /** Ran past the request's timeout or the workflow's {@code settings.timeout}. */
    TIMED_OUT
}
