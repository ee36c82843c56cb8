package com.casarerpa.orchestrator.domain;

import java.time.Instant;
import java.util.Optional;

/**
 * One assignment of a job to a robot and how it ended. {@code outcome} is empty while the
 * attempt runs; then {@code succeeded}, {@code failed}, {@code cancelled}, {@code timed_out} or
 * {@code lease_expired}.
 */
public record JobAttempt(
        String jobId,
        int attempt,
        String robotId,
        Instant assignedAt,
        Optional<Instant> startedAt,
        Optional<Instant> endedAt,
        Optional<String> outcome,
        Optional<String> errorType,
        Optional<String> errorMessage) {}
