package com.casarerpa.engine.node;

/**
 * One node type. Implementations are stateless (one instance serves every run and every node
 * of that type); per-run state lives in the {@link NodeContext}. The type name is the simple
 * class name unless overridden, so adding a node type is adding a class and listing it in
 * {@code StandardNodes.all()}.
 */
public interface Node {

    default String type() {
        return getClass().getSimpleName();
    }

    /**
     * Runs the node. Throw {@link NodeFailure} for a failure with a clear message; any other
     * exception also fails the node, with its message. A node that waits must respond to
     * interruption (cancel and timeouts interrupt its thread) and restore the interrupt flag or
     * let {@link InterruptedException} out.
     */
    NodeResult execute(NodeContext ctx) throws Exception;
}
