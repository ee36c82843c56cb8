package com.casarerpa.orchestrator.ws;

import com.casarerpa.orchestrator.domain.JobAssignment;
import com.casarerpa.orchestrator.domain.StoppingJob;
import com.casarerpa.protocol.ws.ServerMessage;

/** The messages that push work and stops to a robot: {@code job_assign} and {@code job_cancel}, as the protocol's records. */
final class Assignments {
    private Assignments() {}

    static ServerMessage.JobAssign jobAssign(String id, JobAssignment a) {
        return new ServerMessage.JobAssign(id, a.lease().jobId(), a.lease().attempt(), a.lease().token(),
                Replies.time(a.lease().expiresAt()), a.workflowId(), a.workflowName(), a.workflowVersion(),
                Replies.parse(a.definition()), Replies.parse(a.variables()), a.timeoutSeconds().orElse(null), a.priority(),
                a.maxRetries(), Replies.time(a.createdAt()));
    }

    static ServerMessage.JobCancel jobCancel(String id, StoppingJob s, int graceSeconds) {
        String message = "timed_out".equals(s.reason()) ? "exceeded timeout_seconds=" + s.timeoutSeconds() : "the job was cancelled";
        return new ServerMessage.JobCancel(id, s.jobId(), s.token(), s.reason(), message, graceSeconds);
    }
}
