package com.casarerpa.orchestrator.ws;

import com.casarerpa.orchestrator.domain.Job;
import com.casarerpa.orchestrator.store.DispatchQueries;
import com.casarerpa.orchestrator.store.JobClaims;
import com.casarerpa.orchestrator.store.JobPayloads;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The messages that push work and stops to a robot: {@code job_assign} and {@code job_cancel}. */
final class Assignments {
    private Assignments() {}

    static ObjectNode jobAssign(String id, JobClaims.Claim claim, JobPayloads.Payload payload) {
        Job job = claim.job();
        ObjectNode m = Replies.message("job_assign");
        m.put("id", id);
        m.put("job_id", job.id());
        m.put("attempt", claim.lease().attempt());
        m.put("lease_token", claim.lease().token());
        m.put("lease_expires_at", Replies.time(claim.lease().expiresAt()));
        m.put("workflow_id", job.workflowId());
        m.put("workflow_name", payload.workflowName());
        m.put("workflow_version", job.workflowVersion());
        m.set("workflow", Replies.parse(payload.definition()));
        m.set("variables", Replies.parse(job.variables()));
        if (job.timeoutSeconds().isPresent()) {
            m.put("timeout_seconds", job.timeoutSeconds().get());
        } else {
            m.putNull("timeout_seconds");
        }
        m.put("priority", job.priority());
        m.put("max_retries", job.maxRetries());
        m.put("created_at", Replies.time(job.createdAt()));
        return m;
    }

    static ObjectNode jobCancel(String id, DispatchQueries.Stopping s, int graceSeconds) {
        ObjectNode m = Replies.message("job_cancel");
        m.put("id", id);
        m.put("job_id", s.jobId());
        m.put("lease_token", s.token());
        m.put("reason", s.reason());
        m.put("message", "timed_out".equals(s.reason())
                ? "exceeded timeout_seconds=" + s.timeoutSeconds()
                : "the job was cancelled");
        m.put("grace_seconds", graceSeconds);
        return m;
    }
}
