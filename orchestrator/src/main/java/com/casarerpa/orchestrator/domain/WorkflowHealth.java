package com.casarerpa.orchestrator.domain;

import java.time.Instant;
import java.util.Optional;

/**
 * How a workflow's jobs have been ending. Failures are the jobs that ended failed or timed out;
 * cancelled jobs are an operator's doing and neither extend nor end a streak.
 *
 * @param lastOutcome    the state of its most recently finished job (cancelled included); empty: none finished
 * @param failingStreak  failures finished since its last success (all of them when it never succeeded)
 * @param recoveredAt    the success that ended its latest streak of failures; empty when no failure came before a success
 * @param succeeded24h   jobs that succeeded in the last 24 hours
 * @param failed24h      failures in the last 24 hours
 */
public record WorkflowHealth(Optional<JobState> lastOutcome, Optional<Instant> lastFinishedAt, long failingStreak,
        Optional<Instant> lastSuccessAt, Optional<Instant> recoveredAt, long succeeded24h, long failed24h) {

    /** A workflow with no finished job. */
    public static final WorkflowHealth NONE = new WorkflowHealth(Optional.empty(), Optional.empty(), 0, Optional.empty(),
            Optional.empty(), 0, 0);
}
