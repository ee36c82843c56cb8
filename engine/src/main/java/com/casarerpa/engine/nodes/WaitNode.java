package com.casarerpa.engine.nodes;

import com.casarerpa.engine.node.Node;
import com.casarerpa.engine.node.NodeContext;
import com.casarerpa.engine.node.NodeFailure;
import com.casarerpa.engine.node.NodeResult;

/** Waits {@code duration} seconds (default 1; a fraction is fine); a cancel or timeout ends the wait at once. */
public final class WaitNode implements Node {
    @Override
    public NodeResult execute(NodeContext ctx) throws InterruptedException {
        double seconds = ctx.number("duration", 1.0).doubleValue();
        if (seconds < 0 || !Double.isFinite(seconds)) {
            throw NodeFailure.config("WaitNode duration must be zero or more seconds, got " + seconds);
        }
        Thread.sleep(java.time.Duration.ofNanos((long) (seconds * 1_000_000_000L)));
        return NodeResult.next();
    }
}
