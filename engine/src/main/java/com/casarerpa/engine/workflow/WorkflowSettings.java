package com.casarerpa.engine.workflow;

import java.time.Duration;

/**
 * The workflow's {@code settings}.
 *
 * @param stopOnError {@code stop_on_error}, default true
 * @param timeout     {@code timeout} in seconds for the whole run, or {@code null} when absent or not positive
 */
public record WorkflowSettings(boolean stopOnError, Duration timeout) {}
