package com.casarerpa.orchestrator.ws;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The robot connections open on this instance, which one is each robot's current one (a robot
 * id has at most one), and how many are still registering. Thread-safe.
 */
final class Connections {
    private final ConcurrentHashMap<String, RobotConnection> open = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, RobotConnection> byRobot = new ConcurrentHashMap<>();
    private final AtomicInteger registering = new AtomicInteger();

    /** A new connection: registering until {@link #registrationEnded} or {@link #closed}. */
    void opened(RobotConnection c) {
        registering.incrementAndGet();
        open.put(c.connectionId, c);
    }

    /** Its {@code register} was answered {@code registered}: it no longer counts as registering. */
    void registrationEnded(RobotConnection c) {
        if (c.endRegistering()) {
            registering.decrementAndGet();
        }
    }

    /** Connections open on this instance that have not registered yet (their handshake done, the register not answered). */
    int registering() {
        return registering.get();
    }

    /** Makes {@code c} the robot's current connection; returns the one it replaces, if any. */
    Optional<RobotConnection> bind(String robotId, RobotConnection c) {
        RobotConnection previous = byRobot.put(robotId, c);
        return previous == null || previous == c ? Optional.empty() : Optional.of(previous);
    }

    /** Forgets a closed connection; true when it was its robot's current one. */
    boolean closed(RobotConnection c) {
        registrationEnded(c);
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
