package com.casarerpa.orchestrator.service;

/**
 * "This robot's connection may have changed owner": sent after a robot was deleted or registered
 * a connection that replaces one held by another instance, so that an instance holding a
 * connection of that robot checks at once (instead of at its next one-second check) that it is
 * still the robot's current one. Delivered in-process and, on PostgreSQL, to every other instance
 * ({@code NOTIFY} with the robot ids): an instance checks only the robots named, so a reconnect
 * storm of N robots costs N row reads, not N reads of every connection.
 */
@FunctionalInterface
public interface RobotSignals {
    void robotsChanged(String robotId);

    RobotSignals NONE = robotId -> { };
}
