package com.casarerpa.engine.node;

import java.util.List;

/** Where execution goes after a node. */
public sealed interface Route {
    /** Every exec wire out of a port whose name contains "exec" (the usual {@code exec_out}). */
    record Default() implements Route {}

    /** The wires out of these ports only (IfNode {@code true}, loops {@code body}/{@code completed}...). */
    record Ports(List<String> ports) implements Route {}

    /** This branch ends (EndNode); other queued branches go on. */
    record End() implements Route {}

    /** Back to a loop start, which decides to run the body again or to complete. */
    record LoopBack(String loopStartId) implements Route {}

    /** A TryNode: its {@code try_body} runs with its Catch/Finally handlers armed. */
    record EnterTry() implements Route {}
}
