package com.casarerpa.orchestrator.service;

import com.casarerpa.orchestrator.store.GroupedReports;
import java.util.Optional;

/**
 * Who sends a report over the WebSocket: the robot, and for a fleet key the check that the
 * key still acts as it ({@code stillActing} throws {@code ForbiddenException} once a key was
 * bound to the robot). The grouped statement checks the same; the check runs only for a report
 * that changed nothing, before it is answered.
 */
public record Reporter(String robotId, Optional<Runnable> stillActing) {
    /** A robot that speaks through its own key (or an admin's). */
    public static Reporter robot(String robotId) {
        return new Reporter(robotId, Optional.empty());
    }

    GroupedReports.Report report(GroupedReports.Kind kind, String jobId, String token, String resultJson) {
        return new GroupedReports.Report(kind, jobId, token, robotId, resultJson, stillActing.isPresent());
    }

    void checkStillActing() {
        stillActing.ifPresent(Runnable::run);
    }
}
