package com.casarerpa.engine;

/**
 * What the engine reports while a run goes on. Called on the run's own thread; implementations
 * must be quick and must not throw (the robot buffers and sends in batches).
 */
public interface ExecutionListener {

    /** A node is about to execute; {@code executedNodes} counts the nodes finished before it. */
    default void nodeStarted(String nodeId, String nodeType, int executedNodes) {}

    /** A log entry of the run (LogNode output, node errors, engine notes). */
    default void log(LogLevel level, String message, String nodeId, String nodeType) {}

    ExecutionListener NONE = new ExecutionListener() {};
}
