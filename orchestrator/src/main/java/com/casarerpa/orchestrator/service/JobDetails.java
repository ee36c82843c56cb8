package com.casarerpa.orchestrator.service;

import com.casarerpa.orchestrator.domain.Job;
import com.casarerpa.orchestrator.domain.JobAttempt;
import java.util.List;
import java.util.Optional;

/** A job with its attempts (oldest first) and, while it is pending, why it is still waiting. */
public record JobDetails(Job job, List<JobAttempt> attempts, Optional<String> waitingReason) {
    public JobDetails {
        attempts = List.copyOf(attempts);
    }
}
