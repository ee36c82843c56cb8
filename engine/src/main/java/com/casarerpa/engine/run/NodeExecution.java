package com.casarerpa.engine.run;

import com.casarerpa.engine.Cancellation;
import com.casarerpa.engine.Outcome;
import com.casarerpa.engine.node.NodeFailure;
import com.casarerpa.engine.node.NodeResult;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs each node of one run on its own virtual thread while the run's thread waits, so that a
 * cancel, the node timeout or the run deadline can interrupt the node in progress (a sleep
 * ends, a command is killed) without the run's thread being interrupted itself.
 */
final class NodeExecution {
    /** How long an interrupted node gets to clean up (kill its process tree) before the run moves on. */
    private static final Duration CLEAN_UP = Duration.ofSeconds(10);

    private final Cancellation cancellation;
    private final AtomicReference<FutureTask<NodeResult>> current = new AtomicReference<>();

    NodeExecution(Cancellation cancellation) {
        this.cancellation = cancellation;
        cancellation.onCancel(() -> {
            FutureTask<NodeResult> task = current.get();
            if (task != null) {
                task.cancel(true);
            }
        });
    }

    /**
     * @param nodeTimeout     the node's own limit, or {@code null} (zero or negative: none)
     * @param deadlineNanos   {@link System#nanoTime()} by which the run must end, or {@code Long.MAX_VALUE}
     */
    NodeResult run(String nodeId, String threadName, Callable<NodeResult> body, Duration nodeTimeout, long deadlineNanos)
            throws RunStopped {
        FutureTask<NodeResult> task = new FutureTask<>(body);
        Thread thread = Thread.ofVirtual().name(threadName).unstarted(task);
        current.set(task);
        try {
            if (cancellation.isCancelled()) {
                throw new RunStopped(Outcome.CANCELLED, cancellation.reason());
            }
            thread.start();
            // zero or negative means "no limit", like null: a robot setting of 0 must not fail every node
            long nodeLimit = nodeTimeout == null || nodeTimeout.isZero() || nodeTimeout.isNegative()
                    ? Long.MAX_VALUE : nodeTimeout.toNanos();
            long runLimit = deadlineNanos == Long.MAX_VALUE ? Long.MAX_VALUE : deadlineNanos - System.nanoTime();
            long wait = Math.min(nodeLimit, runLimit);
            try {
                return wait == Long.MAX_VALUE ? task.get() : task.get(Math.max(0, wait), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                task.cancel(true);
                awaitEnd(thread);
                if (runLimit <= nodeLimit) {
                    throw new RunStopped(Outcome.TIMED_OUT, null);
                }
                throw new NodeFailure("NodeTimeout", "Node " + nodeId + " timed out after " + seconds(nodeTimeout) + "s", true);
            } catch (CancellationException e) {
                awaitEnd(thread);
                throw new RunStopped(Outcome.CANCELLED, cancellation.reason());
            } catch (ExecutionException e) {
                throw asFailure(e.getCause());
            } catch (InterruptedException e) {
                task.cancel(true);
                awaitEnd(thread);
                Thread.currentThread().interrupt();
                throw new RunStopped(Outcome.CANCELLED, "the run's thread was interrupted");
            }
        } finally {
            current.set(null);
        }
    }

    private static NodeFailure asFailure(Throwable cause) {
        if (cause instanceof NodeFailure f) {
            return f;
        }
        String message = cause.getMessage() == null || cause.getMessage().isBlank()
                ? cause.getClass().getSimpleName() : cause.getMessage();
        return new NodeFailure(cause.getClass().getSimpleName(), message, cause);
    }

    private static void awaitEnd(Thread thread) {
        try {
            thread.join(CLEAN_UP);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? String.valueOf(d.toSeconds()) : String.valueOf(d.toMillis() / 1000.0);
    }
}
