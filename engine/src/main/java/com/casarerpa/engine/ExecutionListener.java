package com.casarerpa.engine;

/**
 * What the engine reports while a run goes on. Calls for one run never overlap: they come from
 * the run's own thread or, for a node's own log entries, from the thread executing that node
 * while the run's thread waits. Implementations must be quick and must not throw (the robot
 * buffers and sends in batches); an exception is ignored.
 */
public interface ExecutionListener {

    /** A node is about to execute; {@code executedNodes} counts the nodes finished before it. */
    default void nodeStarted(String nodeId, String nodeType, int executedNodes) {}

    /** A log entry of the run (LogNode output, node errors, engine notes). */
    default void log(LogLevel level, String message, String nodeId, String nodeType) {}

    ExecutionListener NONE = new ExecutionListener() {};
}
