package com.casarerpa.orchestrator.api;

import com.casarerpa.orchestrator.domain.FolderTree;
import com.casarerpa.orchestrator.domain.HeldJob;
import com.casarerpa.orchestrator.domain.RobotSample;
import com.casarerpa.orchestrator.domain.Robot;
import com.casarerpa.protocol.rest.RobotBodies;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** How robots read on the wire ({@link RobotBodies}). */
final class RobotViews {
    private RobotViews() {}

    /**
     * @param held             the jobs it holds now
     * @param tree             the folder tree, for the paths of the robot's folders
     * @param heartbeatTimeout the silence after which the heartbeat sweep takes a robot offline
     */
    static RobotBodies.Robot robot(Robot r, List<HeldJob> held, FolderTree tree, Duration heartbeatTimeout) {
        return new RobotBodies.Robot(r.id(), r.name(), r.hostname().orElse(null), r.displayStatus(), r.maintenance(),
                r.capabilities(), r.tags(), r.environment().orElse(null), r.maxConcurrentJobs(), held.stream().map(HeldJob::jobId).toList(),
                r.lastHeartbeat().orElse(null), r.cpuPercent().orElse(null), r.memoryPercent().orElse(null),
                r.memoryMb().orElse(null), r.protocol(), r.agentVersion().orElse(null), r.registeredAt(), folders(r, tree),
                held.size(), r.maxConcurrentJobs(), held.stream().map(j -> new RobotBodies.HeldJob(j.jobId(), j.workflowId(),
                        j.workflowName(), j.state().wireName(), j.startedAt().orElse(null))).toList(),
                r.nodeTypes().orElse(null), r.instance().orElse(null), r.connection().wireName(),
                r.offlineAt(heartbeatTimeout).orElse(null));
    }

    static RobotBodies.Sample sample(RobotSample s) {
        return new RobotBodies.Sample(s.at(), s.cpuPercent().orElse(null), s.memoryPercent().orElse(null), s.memoryMb().orElse(null));
    }

    /** The folders a robot is assigned to (the root when none), with their paths. */
    static List<RobotBodies.FolderRef> folders(Robot r, FolderTree tree) {
        return r.homeFolders().stream().map(id -> new RobotBodies.FolderRef(id, tree.path(id))).toList();
    }

    /** {@code GET /api/v1/metrics/robots/{id}} as existing agents read it. */
    static RobotBodies.RobotMetrics metrics(Robot r, List<String> currentJobs) {
        return new RobotBodies.RobotMetrics(r.id(), r.hostname().orElse(null), r.displayStatus(), r.cpuPercent().orElse(null),
                r.memoryPercent().orElse(null), r.memoryMb().orElse(null), currentJobs.isEmpty() ? null : currentJobs.getFirst(),
                currentJobs.size(), r.lastHeartbeat().orElse(null));
    }

    static RobotBodies.HeartbeatAck heartbeatAck(Instant now) {
        return new RobotBodies.HeartbeatAck(true, now);
    }
}
