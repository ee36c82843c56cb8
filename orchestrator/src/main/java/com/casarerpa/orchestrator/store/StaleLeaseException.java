package com.casarerpa.orchestrator.store;

/**
 * A report about a job carried a lease that is not the job's live lease (an earlier attempt,
 * another robot, an expired lease that was reaped). Nothing was changed; HTTP 409 / a
 * {@code stale_lease} error frame.
 */
public class StaleLeaseException extends RuntimeException {
    private final String jobId;

    public StaleLeaseException(String jobId, String message) {
        super(message);
        this.jobId = jobId;
    }

    public String jobId() {
        return jobId;
    }
}
