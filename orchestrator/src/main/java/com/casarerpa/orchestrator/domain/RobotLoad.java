package com.casarerpa.orchestrator.domain;

/** A robot's maintenance flag, its slots ({@code max_concurrent_jobs}) and how many of them its live leases take. */
public record RobotLoad(String robotId, boolean maintenance, int slots, int leased) {
    /** Slots not taken by a live lease (never negative: a robot whose slots were lowered may hold more). */
    public int free() {
        return Math.max(0, slots - leased);
    }
}
