package com.casarerpa.engine.run;

import com.casarerpa.engine.Cancellation;
import com.casarerpa.engine.EngineSettings;
import com.casarerpa.engine.ExecutionError;
import com.casarerpa.engine.ExecutionListener;
import com.casarerpa.engine.ExecutionResult;
import com.casarerpa.engine.LogLevel;
import com.casarerpa.engine.Outcome;
import com.casarerpa.engine.node.Flow;
import com.casarerpa.engine.node.LoopState;
import com.casarerpa.engine.node.Node;
import com.casarerpa.engine.node.NodeCatalog;
import com.casarerpa.engine.node.NodeFailure;
import com.casarerpa.engine.node.NodeResult;
import com.casarerpa.engine.node.Route;
import com.casarerpa.engine.value.Interpolator;
import com.casarerpa.engine.value.Variables;
import com.casarerpa.engine.workflow.Connection;
import com.casarerpa.engine.workflow.NodeSpec;
import com.casarerpa.engine.workflow.Workflow;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One execution of a workflow, walked as CasareRPA walks it (NODES.md §3): a FIFO queue from the
 * StartNode (or from every node without an incoming exec wire), a node that is not control flow
 * runs at most once unless a loop goes round again, routing by the ports a node names.
 */
final class Run implements Flow {
    /** Node types that may run again without a loop clearing them. */
    private static final Set<String> CONTROL_FLOW = Set.of("IfNode", "SwitchNode", "ForLoopStartNode", "ForLoopEndNode",
            "WhileLoopStartNode", "WhileLoopEndNode", "BreakNode", "ContinueNode", "TryNode", "CatchNode", "FinallyNode");

    private final String runId;
    private final Workflow workflow;
    private final NodeCatalog catalog;
    private final EngineSettings settings;
    private final ExecutionListener listener;
    private final NodeExecution execution;
    private final Cancellation cancellation;
    private final Variables variables = new Variables();
    private final Interpolator interpolator;
    private final SensitiveMask mask;
    private final Deque<String> queue = new ArrayDeque<>();
    private final Set<String> executed = new HashSet<>();
    private final List<String> path = new ArrayList<>();
    private final Map<String, Map<String, Object>> inputs = new HashMap<>();
    private final Map<String, Map<String, Object>> outputs = new HashMap<>();
    private final Map<String, LoopState> loops = new HashMap<>();
    private final TryBlocks tries;
    /** Whether the last node of {@link #path} is still executing (for where a stop happened). */
    private boolean running;

    Run(String runId, Workflow workflow, NodeCatalog catalog, EngineSettings settings, ExecutionListener listener,
        Cancellation cancellation, Clock clock, Map<String, Object> seed) {
        this.runId = runId;
        this.workflow = workflow;
        this.catalog = catalog;
        this.settings = settings;
        this.listener = listener;
        this.execution = new NodeExecution(cancellation);
        this.cancellation = cancellation;
        this.interpolator = new Interpolator(variables, clock);
        Set<String> sensitive = new HashSet<>();
        workflow.variables().forEach((name, declared) -> {
            variables.set(name, declared.value());
            if (declared.sensitive()) {
                sensitive.add(name);
            }
        });
        seed.forEach(variables::set);
        this.mask = new SensitiveMask(sensitive);
        this.tries = new TryBlocks(workflow, queue, workflow.settings().stopOnError(), this::log, this::enqueue, this);
    }

    String runId() {
        return runId;
    }

    Variables variables() {
        return variables;
    }

    Interpolator interpolator() {
        return interpolator;
    }

    EngineSettings settings() {
        return settings;
    }

    /**
     * Walks the workflow to its end.
     *
     * @param limit the run's time limit ({@code deadlineNanos - startNanos}), or {@code null}
     */
    ExecutionResult execute(long startNanos, long deadlineNanos, Duration limit) {
        entryNodes().forEach(queue::addLast);
        try {
            while (!queue.isEmpty()) {
                if (cancellation.isCancelled()) {
                    throw new RunStopped(Outcome.CANCELLED, cancellation.reason());
                }
                if (deadlineNanos != Long.MAX_VALUE && System.nanoTime() - deadlineNanos >= 0) {
                    throw new RunStopped(Outcome.TIMED_OUT, null);
                }
                String id = queue.pollFirst();
                NodeSpec spec = workflow.node(id);
                if (executed.contains(id) && !CONTROL_FLOW.contains(spec.type())) {
                    continue;
                }
                Map<String, Object> in = receiveInputs(id);
                ExecutionError error = spec.disabled() ? bypass(spec, in) : step(spec, in, deadlineNanos);
                if (error == null) {
                    error = tries.settle();
                }
                if (error != null) {
                    return result(Outcome.FAILED, error, startNanos);
                }
            }
            return result(Outcome.SUCCEEDED, null, startNanos);
        } catch (RunStopped stopped) {
            NodeSpec last = path.isEmpty() ? null : workflow.node(path.getLast());
            String where = last == null ? "" : (running ? " while node " : " after node ") + last.id() + " (" + last.type() + ")";
            boolean timedOut = stopped.outcome() == Outcome.TIMED_OUT;
            String message = timedOut
                    ? "the run passed its time limit of " + limit.toMillis() / 1000.0 + " s (settings.timeout or the job timeout)" + where
                    : "cancelled" + where + (stopped.getMessage() == null ? "" : ": " + stopped.getMessage());
            log(LogLevel.WARNING, message, last);
            return result(stopped.outcome(), new ExecutionError(timedOut ? "workflow_timeout" : "interrupted", message,
                    last == null ? null : last.id(), last == null ? null : last.type(), null, true), startNanos);
        }
    }

    private List<String> entryNodes() {
        return workflow.nodes().stream().filter(n -> n.type().equals("StartNode")).findFirst()
                .map(n -> List.of(n.id()))
                .orElseGet(workflow::roots);
    }

    /** Copies the values that arrived on data wires; a source that has not produced one leaves the port as it was. */
    private Map<String, Object> receiveInputs(String id) {
        Map<String, Object> in = inputs.computeIfAbsent(id, k -> new HashMap<>());
        for (Connection c : workflow.dataIn(id)) {
            Object value = outputs.getOrDefault(c.sourceNode(), Map.of()).get(c.sourcePort());
            if (value != null) {
                in.put(c.targetPort(), value);
            }
        }
        return in;
    }

    private ExecutionError step(NodeSpec spec, Map<String, Object> in, long deadlineNanos) throws RunStopped {
        Node node = catalog.get(spec.type());
        safely(() -> listener.nodeStarted(spec.id(), spec.type(), path.size()));
        path.add(spec.id());
        running = true;
        RunContext ctx = new RunContext(this, spec, Map.copyOf(withoutNulls(in)));
        try {
            NodeResult result = execution.run(spec.id(), "casare-" + runId + "-" + spec.id(),
                    () -> node.execute(ctx), settings.nodeTimeout(), deadlineNanos);
            running = false;
            succeeded(spec, result);
            return null;
        } catch (NodeFailure failure) {
            running = false;
            return tries.fail(spec, failure);
        }
    }

    private static Map<String, Object> withoutNulls(Map<String, Object> in) {
        Map<String, Object> copy = new HashMap<>(in);
        copy.values().removeIf(java.util.Objects::isNull);
        return copy;
    }

    private void succeeded(NodeSpec spec, NodeResult result) {
        String id = spec.id();
        executed.add(id);
        if (!result.outputs().isEmpty()) {
            // like CasareRPA's output ports, a value stays until the node produces a new one
            Map<String, Object> ports = outputs.computeIfAbsent(id, k -> new LinkedHashMap<>());
            ports.putAll(result.outputs());
            variables.setOutputs(id, ports);
        }
        switch (result.route()) {
            case Route.Default d -> enqueue(workflow.execOutDefault(id));
            case Route.Ports p -> p.ports().forEach(port -> {
                List<Connection> wires = workflow.execOut(id, port);
                if (wires.isEmpty()) {
                    log(LogLevel.DEBUG, spec.type() + " '" + id + "' went on along '" + port + "', which is not connected: this branch ends", spec);
                }
                enqueue(wires);
            });
            case Route.End e -> { }
            case Route.LoopBack back -> {
                executed.remove(back.loopStartId());
                executed.removeAll(workflow.body(back.loopStartId(), List.of("body"), id));
                queue.addFirst(back.loopStartId());
            }
            case Route.EnterTry t -> {
                tries.enter(id);
                enqueue(workflow.execOut(id, "try_body"));
            }
        }
    }

    /** A disabled node: not executed, its inputs passed through to outputs of the same name (or _in → _out). */
    private ExecutionError bypass(NodeSpec spec, Map<String, Object> in) {
        Map<String, Object> out = new LinkedHashMap<>();
        in.forEach((port, value) -> {
            out.put(port, value);
            if (port.endsWith("_in")) {
                out.put(port.substring(0, port.length() - 3) + "_out", value);
            }
        });
        Map<String, Object> ports = outputs.computeIfAbsent(spec.id(), k -> new LinkedHashMap<>());
        ports.putAll(out);
        variables.setOutputs(spec.id(), ports);
        executed.add(spec.id());
        enqueue(workflow.execOutDefault(spec.id()));
        return null;
    }

    private void enqueue(List<Connection> wires) {
        for (Connection c : wires) {
            if (!queue.contains(c.targetNode())) {
                queue.addLast(c.targetNode());
            }
        }
    }

    void log(LogLevel level, String message, NodeSpec spec) {
        String text = mask.scrubText(message, variables);
        safely(() -> listener.log(level, text, spec == null ? null : spec.id(), spec == null ? null : spec.type()));
    }

    private static void safely(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException ignored) {
            // a listener must not break the run (its contract says it must not throw)
        }
    }

    private ExecutionResult result(Outcome outcome, ExecutionError error, long startNanos) {
        return new ExecutionResult(outcome, mask.mask(variables.snapshot()), path.size(), List.copyOf(path),
                Duration.ofNanos(System.nanoTime() - startNanos), error);
    }

    @Override
    public LoopState loop(String loopStartId) {
        return loops.get(loopStartId);
    }

    @Override
    public void startLoop(String loopStartId, LoopState state) {
        loops.put(loopStartId, state);
    }

    @Override
    public void endLoop(String loopStartId) {
        loops.remove(loopStartId);
    }

    @Override
    public CaughtError caughtError(String tryId) {
        return tries.caughtError(tryId);
    }
}
