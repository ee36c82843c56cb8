package com.casarerpa.engine;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The end of a run.
 *
 * @param outcome       how it ended
 * @param variables     the final variables, sensitive ones already replaced by {@code "***"}
 * @param executedNodes node executions, repeats of loop bodies included (the length of {@code executionPath})
 * @param executionPath node ids in execution order
 * @param duration      run time
 * @param error         why it failed ({@link Outcome#FAILED}); for {@link Outcome#TIMED_OUT} ({@code workflow_timeout})
 *                      and {@link Outcome#CANCELLED} ({@code interrupted}) it says where the run stopped;
 *                      {@code null} on success
 */
public record ExecutionResult(
        Outcome outcome,
        Map<String, Object> variables,
        int executedNodes,
        List<String> executionPath,
        Duration duration,
        ExecutionError error) {}
