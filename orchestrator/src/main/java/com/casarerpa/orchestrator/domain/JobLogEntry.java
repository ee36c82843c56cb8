package com.casarerpa.orchestrator.domain;

import java.time.Instant;
import java.util.Optional;

/** A line a robot logged while running an attempt of a job; {@code id} orders the lines of a job. */
public record JobLogEntry(long id, String jobId, int attempt, Instant loggedAt, String level, Optional<String> nodeId,
        String message) {}
