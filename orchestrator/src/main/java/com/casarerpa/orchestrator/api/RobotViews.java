package com.casarerpa.orchestrator.api;

import com.casarerpa.orchestrator.domain.Robot;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How robots read on the wire. */
final class RobotViews {
    private RobotViews() {}

    static Map<String, Object> robot(Robot r, List<String> currentJobs) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("name", r.name());
        m.put("hostname", r.hostname().orElse(null));
        m.put("status", r.displayStatus());
        m.put("maintenance", r.maintenance());
        m.put("capabilities", r.capabilities());
        m.put("tags", r.tags());
        m.put("environment", r.environment().orElse(null));
        m.put("max_concurrent_jobs", r.maxConcurrentJobs());
        m.put("current_jobs", currentJobs);
        m.put("last_heartbeat", r.lastHeartbeat().orElse(null));
        m.put("cpu_percent", r.cpuPercent().orElse(null));
        m.put("memory_percent", r.memoryPercent().orElse(null));
        m.put("memory_mb", r.memoryMb().orElse(null));
        m.put("protocol", r.protocol());
        m.put("agent_version", r.agentVersion().orElse(null));
        m.put("registered_at", r.registeredAt());
        return m;
    }

    /** {@code GET /api/v1/metrics/robots/{id}} as existing agents read it. */
    static Map<String, Object> metrics(Robot r, List<String> currentJobs) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("robot_id", r.id());
        m.put("hostname", r.hostname().orElse(null));
        m.put("status", r.displayStatus());
        m.put("cpu_percent", r.cpuPercent().orElse(null));
        m.put("memory_percent", r.memoryPercent().orElse(null));
        m.put("memory_mb", r.memoryMb().orElse(null));
        m.put("current_job_id", currentJobs.isEmpty() ? null : currentJobs.getFirst());
        m.put("current_job_count", currentJobs.size());
        m.put("last_heartbeat", r.lastHeartbeat().orElse(null));
        return m;
    }

    static Map<String, Object> heartbeatAck(Instant now) {
        return Map.of("ok", true, "timestamp", now);
    }
}
