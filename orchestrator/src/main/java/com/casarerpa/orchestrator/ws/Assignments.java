package com.casarerpa.orchestrator.ws;

import com.casarerpa.orchestrator.store.DispatchQueries;
import com.casarerpa.orchestrator.store.JobClaims;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The messages that push work and stops to a robot: {@code job_assign} and {@code job_cancel}. */
final class Assignments {
    private Assignments() {}

    static ObjectNode jobAssign(String id, JobClaims.Assignment a) {
        ObjectNode m = Replies.message("job_assign");
        m.put("id", id);
        m.put("job_id", a.lease().jobId());
        m.put("attempt", a.lease().attempt());
        m.put("lease_token", a.lease().token());
        m.put("lease_expires_at", Replies.time(a.lease().expiresAt()));
        m.put("workflow_id", a.workflowId());
        m.put("workflow_name", a.workflowName());
        m.put("workflow_version", a.workflowVersion());
        m.set("workflow", Replies.parse(a.definition()));
        m.set("variables", Replies.parse(a.variables()));
        if (a.timeoutSeconds().isPresent()) {
            m.put("timeout_seconds", a.timeoutSeconds().get());
        } else {
            m.putNull("timeout_seconds");
        }
        m.put("priority", a.priority());
        m.put("max_retries", a.maxRetries());
        m.put("created_at", Replies.time(a.createdAt()));
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
