package com.casarerpa.orchestrator.domain;

import java.time.Duration;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * How a live lease that did not succeed ends (its robot failed it, or it expired): decided here,
 * applied by the store in the transaction that read the lease. A stop that was asked for ends as
 * asked (cancelled or timed out); otherwise the job runs again after the retry delay while
 * attempts are left and the failure is {@code retryable}, else it fails (a dead letter).
 */
public sealed interface LeaseEnd {
    /** Back to pending, runnable after {@code delay}. */
    record RetryLater(Duration delay) implements LeaseEnd {}

    /** Finished in {@code state}: failed, cancelled or timed out. */
    record Finish(JobState state) implements LeaseEnd {}

    /**
     * @param attempt    the attempt that ends (from 1)
     * @param maxRetries the job's retries: {@code maxRetries + 1} attempts in all
     * @param stopAsked  the stop asked for the job (cancelled or timed out), if any
     * @param retryable  false when running it again cannot help: it fails whatever attempts are left
     */
    static LeaseEnd of(int attempt, int maxRetries, Optional<JobState> stopAsked, boolean retryable, RetryPolicy retries,
            RandomGenerator random) {
        if (stopAsked.isPresent()) {
            return new Finish(stopAsked.get());
        }
        if (retryable && attempt < maxRetries + 1) {
            return new RetryLater(retries.delayAfter(attempt, random));
        }
        return new Finish(JobState.FAILED);
    }

    /** A stop its robot confirmed: as asked, or {@code unrequested} when none was (a robot's own timeout). */
    static JobState stopped(Optional<JobState> stopAsked, JobState unrequested) {
        return stopAsked.orElse(unrequested);
    }

    /** What an operator's cancel does to a job in {@code state}. */
    enum Cancel {
        /** Pending: cancelled at once. */
        NOW,
        /** Leased: marked to stop; its robot must be told and confirm. */
        ASK_ROBOT,
        /** Already finished: nothing. */
        NOTHING;

        public static Cancel of(JobState state) {
            if (state == JobState.PENDING) {
                return NOW;
            }
            return state.leased() ? ASK_ROBOT : NOTHING;
        }
    }
}
