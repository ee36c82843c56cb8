package com.casarerpa.orchestrator.domain;

import java.time.Instant;

/**
 * A robot's hold on one attempt of a job. Reports about the job must carry {@code token}; a
 * report with any other token (an earlier attempt, another robot) is refused and changes
 * nothing.
 */
public record Lease(String jobId, int attempt, String token, String robotId, Instant expiresAt) {}
