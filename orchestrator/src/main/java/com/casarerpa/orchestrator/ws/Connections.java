package com.casarerpa.orchestrator.ws;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The robot connections open on this instance, and which one is each robot's current one: a
 * robot id has at most one. Thread-safe.
 */
final class Connections {
    private final ConcurrentHashMap<String, RobotConnection> open = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, RobotConnection> byRobot = new ConcurrentHashMap<>();

    void opened(RobotConnection c) {
        open.put(c.connectionId, c);
    }

    /** Makes {@code c} the robot's current connection; returns the one it replaces, if any. */
    Optional<RobotConnection> bind(String robotId, RobotConnection c) {
        RobotConnection previous = byRobot.put(robotId, c);
        return previous == null || previous == c ? Optional.empty() : Optional.of(previous);
    }

    /** Forgets a closed connection; true when it was its robot's current one. */
    boolean closed(RobotConnection c) {
        open.remove(c.connectionId);
        String robotId = c.robotId();
        return robotId != null && byRobot.remove(robotId, c);
    }

    Optional<RobotConnection> ofRobot(String robotId) {
        return Optional.ofNullable(byRobot.get(robotId));
    }

    /** Every robot's current connection. */
    List<RobotConnection> current() {
        return List.copyOf(byRobot.values());
    }

    Collection<RobotConnection> all() {
        return List.copyOf(open.values());
    }

    boolean isEmpty() {
        return open.isEmpty();
    }

    /** How many are open (registered or not). */
    int size() {
        return open.size();
    }
}
