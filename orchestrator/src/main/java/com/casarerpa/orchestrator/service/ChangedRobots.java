package com.casarerpa.orchestrator.service;

import java.util.Optional;
import java.util.Set;

/**
 * Which robots' connections may have changed owner: the ids named, or any robot when which is
 * not known (notifications may have been missed, or an instance of an earlier version sent one
 * without ids).
 */
public record ChangedRobots(Optional<Set<String>> ids) {
    public static final ChangedRobots ANY = new ChangedRobots(Optional.empty());

    public ChangedRobots {
        ids = ids.map(Set::copyOf);
    }

    public static ChangedRobots of(Set<String> ids) {
        return new ChangedRobots(Optional.of(ids));
    }

    /** Whether {@code robotId} is among them. */
    public boolean covers(String robotId) {
        return ids.map(s -> s.contains(robotId)).orElse(true);
    }
}
