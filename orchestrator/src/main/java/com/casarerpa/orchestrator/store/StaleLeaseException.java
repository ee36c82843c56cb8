package com.casarerpa.orchestrator.store;

import com.casarerpa.orchestrator.error.OrchestratorException;
import java.util.Map;

/**
 * A report about a job carried a lease that is not the job's live lease (an earlier attempt,
 * another robot, an expired lease that was reaped). Nothing was changed; HTTP 409 / a
 * {@code stale_lease} error frame.
 */
public class StaleLeaseException extends OrchestratorException {
    private final String jobId;

    public StaleLeaseException(String jobId, String message) {
        super(409, "stale_lease", message);
        this.jobId = jobId;
    }

    public String jobId() {
        return jobId;
    }

    @Override
    public Map<String, Object> details() {
        return Map.of("job_id", jobId);
    }
}
