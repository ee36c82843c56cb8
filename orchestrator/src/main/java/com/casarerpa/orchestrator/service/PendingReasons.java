package com.casarerpa.orchestrator.service;

import com.casarerpa.orchestrator.domain.Job;
import java.time.Clock;

/**
 * Why a pending job has not gone to a robot yet, in words for people ({@code GET
 * /api/v1/jobs/{id}} shows it as {@code waiting_reason}). The default knows the queue only (a
 * retry delay); the robot registry refines it (no robot online, none with capability X, all slots
 * busy) by wrapping the default.
 */
@FunctionalInterface
public interface PendingReasons {
    /** Called only for a job in state pending. */
    String why(Job pending);

    /** "retry delay until T" while the job's {@code run_after} is in the future, else "waiting for a robot". */
    static PendingReasons queueOnly(Clock clock) {
        return job -> job.runAfter().isAfter(clock.instant()) ? "retry delay until " + job.runAfter()
                : "waiting for a robot";
    }
}
