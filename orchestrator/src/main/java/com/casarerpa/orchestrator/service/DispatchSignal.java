package com.casarerpa.orchestrator.service;

/**
 * Tells the dispatchers of this instance that work may be waiting: call it after the commit of
 * new jobs (or anything else that makes a job dispatchable). Cheap, never blocks, coalesces:
 * many calls in a burst cause one dispatch round.
 */
@FunctionalInterface
public interface DispatchSignal {
    DispatchSignal NONE = () -> { };

    void wake();

    /**
     * A robot's slot freed up because a job ended (nothing became dispatchable): a dispatcher
     * may skip claiming when its last claim found the queue empty and no {@link #wake()} came
     * since. By default the same as {@link #wake()}.
     */
    default void slotFreed() {
        wake();
    }
}
