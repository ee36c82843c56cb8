package com.casarerpa.orchestrator.domain;

import java.time.Instant;
import java.util.Optional;

/** A job a robot holds now (assigned or running); {@code startedAt} is empty while it is only assigned. */
public record HeldJob(String robotId, String jobId, String workflowId, String workflowName, JobState state,
        Optional<Instant> startedAt) {}
