package com.casarerpa.engine.nodes;

import com.casarerpa.engine.LogLevel;
import com.casarerpa.engine.node.LoopState;
import com.casarerpa.engine.node.Node;
import com.casarerpa.engine.node.NodeContext;
import com.casarerpa.engine.node.NodeResult;

/**
 * Runs its {@code body} while the condition holds ({@link Conditions}), at most
 * {@code max_iterations} times (default 1000; reaching it completes the loop with a warning),
 * then goes on along {@code completed}. Output {@code current_iteration} counts from 0.
 */
public final class WhileLoopStartNode implements Node {
    @Override
    public NodeResult execute(NodeContext ctx) {
        LoopState state = ctx.flow().loop(ctx.nodeId());
        if (state == null) {
            state = LoopState.whileLoop();
            ctx.flow().startLoop(ctx.nodeId(), state);
        }
        long max = ctx.number("max_iterations", 1000L).longValue();
        if (state.breakRequested()) {
            return done(ctx);
        }
        if (state.index() >= max) {
            ctx.log(LogLevel.WARNING, "WhileLoopStartNode '" + ctx.nodeId() + "' stopped after max_iterations=" + max);
            return done(ctx);
        }
        if (!Conditions.holds(ctx)) {
            return done(ctx);
        }
        long iteration = state.index();
        state.advance();
        return NodeResult.to("body", NodeResult.outputs("current_iteration", iteration));
    }

    private static NodeResult done(NodeContext ctx) {
        ctx.flow().endLoop(ctx.nodeId());
        return NodeResult.to("completed");
    }
}
