package com.casarerpa.engine.workflow;

import java.util.Locale;
import java.util.Set;

/** One wire between two ports. Execution flows along exec wires; the others carry data. */
public record Connection(String sourceNode, String sourcePort, String targetNode, String targetPort) {

    /** Routing ports of control-flow nodes (the orchestrator's validation uses the same list). */
    private static final Set<String> CONTROL_PORTS =
            Set.of("true", "false", "body", "completed", "try_body", "catch_body", "finally_body", "default");

    private static boolean isExecName(String port) {
        return port.toLowerCase(Locale.ROOT).contains("exec");
    }

    /**
     * Exec wires have a port whose name contains "exec" at either end, or start from a routing
     * port ({@code true}, {@code false}, {@code body}, {@code completed}, {@code try_body},
     * {@code catch_body}, {@code finally_body}, {@code default}, {@code case_*}). Other wires carry data.
     */
    public boolean isExec() {
        return isExecName(targetPort) || isExecName(sourcePort) || CONTROL_PORTS.contains(sourcePort) || sourcePort.startsWith("case_");
    }

    /** The port names a node follows when it does not route on purpose (CasareRPA: contains "exec"). */
    public boolean fromExecPort() {
        return isExecName(sourcePort);
    }
}
