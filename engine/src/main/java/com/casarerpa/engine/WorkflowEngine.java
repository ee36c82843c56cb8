package com.casarerpa.engine;

import java.util.Set;

/**
 * Runs CasareRPA workflows. One instance serves many concurrent runs (one thread each).
 *
 * <p>The contract the robot agent builds on; {@code Engines.standard(settings)} (or the
 * engine's own factory) gives the implementation with every node type of issue 5.
 */
public interface WorkflowEngine {

    /** The node types this engine runs; the robot advertises them as {@code node_types}. */
    Set<String> nodeTypes();

    /**
     * Runs one workflow to its end on the calling thread. Never throws for anything the
     * workflow does: an unknown node type, an invalid workflow, a node error, a timeout or a
     * cancel all come back as a result.
     */
    ExecutionResult run(ExecutionRequest request, ExecutionListener listener, Cancellation cancellation);
}
