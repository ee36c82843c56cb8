package com.casarerpa.orchestrator.domain;

import com.casarerpa.orchestrator.domain.JobState;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * Which jobs a listing shows: any of {@code states} (all when empty), of one workflow, held or
 * last run by one robot, created in {@code [createdSince, createdUntil)}, in one of {@code folders}
 * (empty: in any folder).
 */
public record JobFilter(Set<JobState> states, Optional<String> workflowId, Optional<String> robotId,
        Optional<Instant> createdSince, Optional<Instant> createdUntil, Optional<Set<String>> folders) {

    public JobFilter {
        states = Set.copyOf(states);
        folders = folders.map(Set::copyOf);
    }

    public JobFilter(Set<JobState> states, Optional<String> workflowId, Optional<String> robotId,
            Optional<Instant> createdSince, Optional<Instant> createdUntil) {
        this(states, workflowId, robotId, createdSince, createdUntil, Optional.empty());
    }

    public static JobFilter all() {
        return new JobFilter(Set.of(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** The same filter, only in {@code visible} folders (empty: no limit). */
    public JobFilter within(Optional<Set<String>> visible) {
        return new JobFilter(states, workflowId, robotId, createdSince, createdUntil, visible);
    }
}
