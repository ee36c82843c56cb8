package com.casarerpa.engine;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Lets another thread stop a run: the node in progress is interrupted (a wait ends, a running
 * command is killed through {@link #onCancel}), and the run ends {@link Outcome#CANCELLED}.
 */
public final class Cancellation {
    private final List<Runnable> callbacks = new CopyOnWriteArrayList<>();
    private volatile String reason;

    /** Asks the run to stop; the first reason wins; later calls do nothing. */
    public void cancel(String why) {
        synchronized (this) {
            if (reason != null) {
                return;
            }
            reason = why == null ? "cancelled" : why;
        }
        callbacks.forEach(Runnable::run);
    }

    public boolean isCancelled() {
        return reason != null;
    }

    /** The reason given to {@link #cancel}, or {@code null}. */
    public String reason() {
        return reason;
    }

    /** Runs {@code action} on cancel (at once if already cancelled). */
    public void onCancel(Runnable action) {
        callbacks.add(action);
        if (isCancelled() && callbacks.remove(action)) {
            action.run();
        }
    }
}
