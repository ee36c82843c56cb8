package com.casarerpa.engine.run;

import com.casarerpa.engine.Cancellation;
import com.casarerpa.engine.EngineSettings;
import com.casarerpa.engine.ExecutionError;
import com.casarerpa.engine.ExecutionListener;
import com.casarerpa.engine.ExecutionRequest;
import com.casarerpa.engine.ExecutionResult;
import com.casarerpa.engine.LogLevel;
import com.casarerpa.engine.Outcome;
import com.casarerpa.engine.WorkflowEngine;
import com.casarerpa.engine.node.NodeCatalog;
import com.casarerpa.engine.workflow.InvalidWorkflowException;
import com.casarerpa.engine.workflow.NodeSpec;
import com.casarerpa.engine.workflow.Workflow;
import com.casarerpa.engine.workflow.WorkflowParser;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/** The engine: validates the workflow, refuses unknown node types up front, then walks it. */
public final class StandardEngine implements WorkflowEngine {
    private final NodeCatalog catalog;
    private final EngineSettings settings;
    private final Clock clock;

    public StandardEngine(NodeCatalog catalog, EngineSettings settings, Clock clock) {
        this.catalog = catalog;
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public Set<String> nodeTypes() {
        return catalog.types();
    }

    @Override
    public ExecutionResult run(ExecutionRequest request, ExecutionListener listener, Cancellation cancellation) {
        long start = System.nanoTime();
        ExecutionListener events = listener == null ? ExecutionListener.NONE : listener;
        Cancellation cancel = cancellation == null ? new Cancellation() : cancellation;
        Workflow workflow;
        try {
            workflow = WorkflowParser.parse(request.workflow());
        } catch (InvalidWorkflowException e) {
            return refused(new ExecutionError("invalid_workflow", "invalid workflow: " + e.getMessage(), null, null, null, false), start);
        }
        List<NodeSpec> unsupported = workflow.nodes().stream().filter(n -> catalog.get(n.type()) == null).toList();
        if (!unsupported.isEmpty()) {
            NodeSpec first = unsupported.getFirst();
            String names = String.join(", ", unsupported.stream().map(n -> n.type() + " (node '" + n.id() + "')").toList());
            return refused(new ExecutionError("unsupported_node_type", "this robot cannot run node type "
                    + names + "; it runs " + String.join(", ", catalog.types()), first.id(), first.type(), null, false), start);
        }
        Duration limit = Stream.of(request.timeout(), workflow.settings().timeout())
                .filter(d -> d != null && !d.isZero() && !d.isNegative()).min(Duration::compareTo).orElse(null);
        long deadline = limit == null ? Long.MAX_VALUE : start + limit.toNanos();
        Run run = new Run(request.runId(), workflow, catalog, settings, events, cancel, clock, request.variables());
        if (limit != null) {
            run.log(LogLevel.DEBUG, "run time limit " + limit.toMillis() + " ms", null);
        }
        try {
            return run.execute(start, deadline, limit);
        } catch (RuntimeException bug) {
            String message = bug.getClass().getSimpleName() + (bug.getMessage() == null ? "" : ": " + bug.getMessage());
            run.log(LogLevel.ERROR, "engine error: " + message, null);
            return refused(new ExecutionError("internal", "engine error: " + message, null, null, TryBlocks.stackTrace(bug), true), start);
        }
    }



    private static ExecutionResult refused(ExecutionError error, long start) {
        return new ExecutionResult(Outcome.FAILED, Map.of(), 0, List.of(), Duration.ofNanos(System.nanoTime() - start), error);
    }
}
