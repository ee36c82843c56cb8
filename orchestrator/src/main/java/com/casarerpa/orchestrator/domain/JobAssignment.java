package com.casarerpa.orchestrator.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A job just leased to a robot by a dispatcher's claim, with everything the robot needs to run
 * it, read by the claim itself (no second read): the lease, the pinned workflow version and its
 * definition, the variables (both JSON text), the job's timeout, priority, retries and creation
 * time; and {@code waited}, how long the job had been dispatchable (since its {@code run_after}:
 * its insert, retry time or release) when the claim took it, by the database's clock
 * ({@code CURRENT_TIMESTAMP} of the claim's transaction).
 */
public record JobAssignment(Lease lease, String workflowId, String workflowName, int workflowVersion, String definition,
        String variables, Optional<Integer> timeoutSeconds, int priority, int maxRetries, Instant createdAt,
        Duration waited) {}
