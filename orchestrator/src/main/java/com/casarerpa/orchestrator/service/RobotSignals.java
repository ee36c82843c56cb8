package com.casarerpa.orchestrator.service;

/**
 * "Robot connections may have changed owner": sent after a robot was deleted or registered a
 * connection that replaces one held by another instance, so every instance checks at once
 * (instead of at its next one-second check) that its connections are still their robots'
 * current ones. Delivered in-process and, on PostgreSQL, to every other instance ({@code NOTIFY}).
 */
@FunctionalInterface
public interface RobotSignals {
    void robotsChanged();

    RobotSignals NONE = () -> { };
}
