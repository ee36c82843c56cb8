package com.casarerpa.robot.agent;

import com.casarerpa.common.json.Json;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;

/** The content of {@code status.json}: what {@code casare-rpa robot status} shows. */
final class StatusReport {
    private StatusReport() {}

    static ObjectNode build(RobotAgent.State state, Instant since, String robotId, String name, String url, int maxJobs,
            String connectionId, List<HeldJob> jobs, Instant now) {
        ObjectNode s = Json.mapper().createObjectNode();
        s.put("pid", ProcessHandle.current().pid());
        s.put("robot_id", robotId);
        s.put("name", name);
        s.put("url", url);
        s.put("state", state.wire());
        s.put("since", Wire.time(since));
        s.put("connection_id", connectionId);
        s.put("max_jobs", maxJobs);
        s.put("agent_version", RobotAgent.AGENT_VERSION);
        ArrayNode list = s.putArray("jobs");
        for (HeldJob j : jobs) {
            ObjectNode o = list.addObject();
            o.put("job_id", j.jobId);
            o.put("attempt", j.attempt);
            o.put("workflow_name", j.workflowName);
            o.put("state", j.phase == HeldJob.Phase.RUNNING ? (j.stop == null ? "running" : "stopping") : "reporting");
            o.put("node_id", j.nodeId);
            o.put("node_type", j.nodeType);
            o.put("executed_nodes", j.executedNodes);
            o.put("started_at", Wire.time(j.receivedAt));
            o.put("elapsed_ms", Math.max(0, now.toEpochMilli() - j.receivedAt.toEpochMilli()));
        }
        s.put("updated_at", Wire.time(now));
        return s;
    }
}
