package com.casarerpa.orchestrator.service;

import com.casarerpa.orchestrator.domain.Job;
import com.casarerpa.orchestrator.domain.Robot;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Why a pending job waits, knowing the fleet (DESIGN.md §5): a retry delay; no robot online;
 * no online robot with its capabilities or environment; every such robot in maintenance; all
 * their slots busy; or nothing (a free robot takes it on its next claim).
 */
public final class FleetPendingReasons implements PendingReasons {
    private final PendingReasons queue;
    private final Robots robots;

    public FleetPendingReasons(Robots robots, Clock clock) {
        this.queue = PendingReasons.queueOnly(clock);
        this.robots = robots;
    }

    @Override
    public String why(Job pending) {
        String queued = queue.why(pending);
        if (queued.startsWith("retry delay")) {
            return queued;
        }
        List<Robot> online = robots.list().stream().filter(r -> r.status() != Robot.Status.OFFLINE).toList();
        if (online.isEmpty()) {
            return "no robot online";
        }
        List<Robot> inEnvironment = online.stream()
                .filter(r -> pending.environment().isEmpty() || pending.environment().equals(r.environment()))
                .toList();
        if (inEnvironment.isEmpty()) {
            return "no online robot in environment " + pending.environment().orElseThrow();
        }
        List<Robot> able = inEnvironment.stream().filter(r -> r.capabilities().containsAll(pending.requiredCapabilities())).toList();
        if (able.isEmpty()) {
            Set<String> missing = new LinkedHashSet<>(pending.requiredCapabilities());
            inEnvironment.forEach(r -> missing.removeIf(r.capabilities()::contains));
            return missing.isEmpty()
                    ? "no online robot has all of the capabilities " + pending.requiredCapabilities()
                    : "no online robot has capability " + String.join(", ", missing);
        }
        List<Robot> working = able.stream().filter(r -> !r.maintenance()).toList();
        if (working.isEmpty()) {
            return "every robot that can run it is in maintenance";
        }
        if (working.stream().allMatch(r -> robots.freeSlots(r) == 0)) {
            return "all slots busy on the " + working.size() + " robot(s) that can run it";
        }
        return "waiting for the next claim of a free robot";
    }
}
