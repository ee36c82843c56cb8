package com.casarerpa.orchestrator.service;

/**
 * "New work may be claimable": sent after a commit that made jobs pending (a submit, a retry,
 * a release), so dispatchers look now instead of at their next poll. Delivered in-process and,
 * on PostgreSQL, to every other instance ({@code NOTIFY}).
 */
@FunctionalInterface
public interface JobSignals {
    void jobsAvailable();

    JobSignals NONE = () -> { };
}
