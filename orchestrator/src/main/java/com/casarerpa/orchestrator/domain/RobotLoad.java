package com.casarerpa.orchestrator.domain;

import java.util.Set;

/**
 * A robot's maintenance flag, its slots ({@code max_concurrent_jobs}), how many of them its live
 * leases take, and the folders it is assigned to (empty: the root, every folder).
 */
public record RobotLoad(String robotId, boolean maintenance, int slots, int leased, Set<String> folders) {
    public RobotLoad {
        folders = Set.copyOf(folders);
    }

    /** Slots not taken by a live lease (never negative: a robot whose slots were lowered may hold more). */
    public int free() {
        return Math.max(0, slots - leased);
    }
}
