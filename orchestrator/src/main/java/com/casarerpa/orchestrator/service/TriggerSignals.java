package com.casarerpa.orchestrator.service;

/**
 * What triggers tell the rest of the instance: jobs were committed (wake the dispatchers) and
 * schedules changed (wake the scheduler, so a new schedule due in 300 ms is not left to the poll).
 */
public interface TriggerSignals extends JobSignals {
    void schedulesChanged();

    static TriggerSignals of(JobSignals jobs, Runnable schedulesChanged) {
        return new TriggerSignals() {
            @Override
            public void jobsAvailable() {
                jobs.jobsAvailable();
            }

            @Override
            public void schedulesChanged() {
                schedulesChanged.run();
            }
        };
    }
}
