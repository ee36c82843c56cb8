package com.casarerpa.engine;

import com.casarerpa.engine.node.NodeCatalog;
import com.casarerpa.engine.nodes.StandardNodes;
import com.casarerpa.engine.run.StandardEngine;
import java.time.Clock;

/** Where engines come from. */
public final class Engines {
    private Engines() {}

    /** The engine with every node type of issue 5 ({@code docs/robot-engine.md}). */
    public static WorkflowEngine standard(EngineSettings settings) {
        return standard(settings, HostResolver.SYSTEM);
    }

    /** The standard engine with its own resolver of host names (tests that play DNS). */
    public static WorkflowEngine standard(EngineSettings settings, HostResolver resolver) {
        return new StandardEngine(new NodeCatalog(StandardNodes.all(resolver)), settings, Clock.systemDefaultZone());
    }
}
