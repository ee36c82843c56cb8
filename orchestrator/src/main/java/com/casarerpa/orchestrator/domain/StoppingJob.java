package com.casarerpa.orchestrator.domain;

/**
 * A leased job marked to stop, which its robot must be told of: the lease to stop, why
 * ({@code cancelled} or {@code timed_out}, the state it ends in) and the job's timeout.
 */
public record StoppingJob(String jobId, String robotId, String token, String reason, Integer timeoutSeconds) {}
