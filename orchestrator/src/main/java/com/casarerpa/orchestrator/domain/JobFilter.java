package com.casarerpa.orchestrator.domain;

import com.casarerpa.orchestrator.domain.JobState;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * Which jobs a listing shows: any of {@code states} (all when empty), of one workflow, held or
 * last run by one robot, created in {@code [createdSince, createdUntil)}.
 */
public record JobFilter(Set<JobState> states, Optional<String> workflowId, Optional<String> robotId,
        Optional<Instant> createdSince, Optional<Instant> createdUntil) {

    public JobFilter {
        states = Set.copyOf(states);
    }

    public static JobFilter all() {
        return new JobFilter(Set.of(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }
}
