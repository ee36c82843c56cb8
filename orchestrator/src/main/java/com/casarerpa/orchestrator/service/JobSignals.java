package com.casarerpa.orchestrator.service;

/**
 * "New work may be claimable": sent after a commit that made jobs pending (a submit, a retry,
 * a release), so dispatchers look now instead of at their next poll. Delivered in-process and,
 * on PostgreSQL, to every other instance ({@code NOTIFY}).
 */
@FunctionalInterface
public interface JobSignals {
    void jobsAvailable();

    /**
     * A job running on a robot was marked to stop (a cancel). The same wake-up: a dispatcher
     * round also pushes {@code job_cancel} for marked jobs, so the robot hears it now, on
     * whichever instance it is connected, instead of at that instance's next poll.
     */
    default void jobsToStop() {
        jobsAvailable();
    }

    JobSignals NONE = () -> { };
}
