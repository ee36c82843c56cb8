package com.casarerpa.engine.node;

/** Run state that control-flow nodes share: running loops and the error a Try handler handles. */
public interface Flow {

    /** The state of the loop started by {@code loopStartId}, or {@code null} if it is not running. */
    LoopState loop(String loopStartId);

    void startLoop(String loopStartId, LoopState state);

    void endLoop(String loopStartId);

    /** The error that the handlers of {@code tryId} are handling, or {@code null}. */
    CaughtError caughtError(String tryId);

    /** An error caught by a TryNode, as its CatchNode reports it; {@code details} is a stack trace or null. */
    record CaughtError(String message, String type, String nodeId, String nodeType, String details) {}
}
