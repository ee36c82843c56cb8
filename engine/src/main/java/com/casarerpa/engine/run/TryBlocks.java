package com.casarerpa.engine.run;

import com.casarerpa.engine.ExecutionError;
import com.casarerpa.engine.LogLevel;
import com.casarerpa.engine.node.Flow.CaughtError;
import com.casarerpa.engine.node.NodeFailure;
import com.casarerpa.engine.workflow.Connection;
import com.casarerpa.engine.workflow.NodeSpec;
import com.casarerpa.engine.workflow.Workflow;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.Consumer;

/**
 * Node failures and the Try/Catch/Finally statements that handle them. A failure inside a
 * running try body drops the rest of that body and runs the paired CatchNode (its
 * {@code catch_body} gets {@code error_message}/{@code error_type}); the FinallyNode runs after
 * the body or the catch either way. An error nobody catches goes to the enclosing Try, then
 * to {@code settings.stop_on_error}: the run fails, or (false) only that branch stops.
 */
final class TryBlocks {
    interface RunLog {
        void log(LogLevel level, String message, NodeSpec node);
    }

    private final Workflow workflow;
    private final Deque<String> queue;
    private final boolean stopOnError;
    private final RunLog log;
    private final Consumer<List<Connection>> enqueue;
    private final com.casarerpa.engine.node.Flow loops;
    /** Innermost first. */
    private final Deque<TryFrame> frames = new java.util.ArrayDeque<>();

    TryBlocks(Workflow workflow, Deque<String> queue, boolean stopOnError, RunLog log, Consumer<List<Connection>> enqueue,
              com.casarerpa.engine.node.Flow loops) {
        this.workflow = workflow;
        this.queue = queue;
        this.stopOnError = stopOnError;
        this.log = log;
        this.enqueue = enqueue;
        this.loops = loops;
    }

    void enter(String tryId) {
        frames.removeIf(f -> f.tryId.equals(tryId));
        frames.push(new TryFrame(workflow, tryId));
    }

    CaughtError caughtError(String tryId) {
        return frames.stream().filter(f -> f.tryId.equals(tryId)).findFirst().map(f -> f.error).orElse(null);
    }

    /** A node failed: hand it to a Try, or decide the run's fate. Returns the error that ends the run, or null. */
    ExecutionError fail(NodeSpec node, NodeFailure failure) {
        log.log(LogLevel.ERROR, node.type() + " '" + node.id() + "' failed: " + failure.getMessage(), node);
        String details = failure.getCause() == null ? null : stackTrace(failure.getCause());
        return propagate(new CaughtError(failure.getMessage(), failure.type(), node.id(), node.type(), details),
                failure.retryable(), node.id());
    }

    /** The stack trace of an unexpected exception inside a node, for the error's details. */
    static String stackTrace(Throwable t) {
        java.io.StringWriter out = new java.io.StringWriter();
        t.printStackTrace(new java.io.PrintWriter(out));
        return out.toString();
    }

    private ExecutionError propagate(CaughtError error, boolean retryable, String at) {
        TryFrame frame = owner(at);
        if (frame == null) {
            if (stopOnError) {
                return new ExecutionError(error.type(), error.message(), error.nodeId(), error.nodeType(), error.details(), retryable);
            }
            log.log(LogLevel.WARNING, "continuing: settings.stop_on_error is false; the nodes after '" + error.nodeId() + "' do not run",
                    workflow.node(error.nodeId()));
            return null;
        }
        while (frames.peek() != frame) {
            drop(frames.pop().activeScope());
        }
        drop(frame.activeScope());
        if (frame.phase == TryFrame.Phase.TRY && frame.catchId != null) {
            frame.error = error;
            frame.phase = TryFrame.Phase.CATCH;
            queue.addFirst(frame.catchId);
            return null;
        }
        if (frame.phase != TryFrame.Phase.FINALLY && frame.finallyId != null) {
            frame.error = error;
            frame.pending = error;
            frame.pendingRetryable = retryable;
            frame.phase = TryFrame.Phase.FINALLY;
            queue.addFirst(frame.finallyId);
            return null;
        }
        frames.pop();
        return propagate(error, retryable, frame.tryId);
    }

    /** The innermost running Try whose current phase contains node {@code id}. */
    private TryFrame owner(String id) {
        for (TryFrame f : frames) {
            if (f.activeScope().contains(id)) {
                return f;
            }
        }
        return null;
    }

    /** Abandons the rest of a block: its queued nodes, and the loops inside it (so they start afresh next time). */
    private void drop(java.util.Set<String> scope) {
        queue.removeIf(scope::contains);
        scope.forEach(loops::endLoop);
    }

    /**
     * After each node: moves finished Try statements on (body → finally, catch → finally,
     * finally → continue after the statement, or raise the pending error again).
     */
    ExecutionError settle() {
        while (!frames.isEmpty()) {
            TryFrame frame = frames.peek();
            if (queue.stream().anyMatch(frame.activeScope()::contains)) {
                return null;
            }
            if (frame.phase != TryFrame.Phase.FINALLY && frame.finallyId != null) {
                frame.phase = TryFrame.Phase.FINALLY;
                queue.addFirst(frame.finallyId);
                return null;
            }
            frames.pop();
            if (frame.pending != null) {
                ExecutionError error = propagate(frame.pending, frame.pendingRetryable, frame.tryId);
                if (error != null) {
                    return error;
                }
                continue;
            }
            enqueue.accept(continuation(frame));
        }
        return null;
    }

    /** The wires after the whole statement: exec_out of the TryNode, the CatchNode and the FinallyNode. */
    private List<Connection> continuation(TryFrame frame) {
        LinkedHashMap<String, Connection> byTarget = new LinkedHashMap<>();
        for (String id : frame.statementNodes()) {
            for (Connection c : workflow.execOut(id, "exec_out")) {
                byTarget.putIfAbsent(c.targetNode(), c);
            }
        }
        return new ArrayList<>(byTarget.values());
    }
}
