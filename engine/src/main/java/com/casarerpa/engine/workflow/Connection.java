package com.casarerpa.engine.workflow;

import java.util.Locale;

/** One wire between two ports. Execution flows along exec wires; the others carry data. */
public record Connection(String sourceNode, String sourcePort, String targetNode, String targetPort) {

    private static boolean isExecName(String port) {
        return port.toLowerCase(Locale.ROOT).contains("exec");
    }

    /**
     * Exec wires end in an {@code exec_in}-like port or start from an exec port; routing ports
     * such as {@code true}, {@code body} or {@code case_x} always feed an {@code exec_in}.
     */
    public boolean isExec() {
        return isExecName(targetPort) || isExecName(sourcePort);
    }

    /** The port names a node follows when it does not route on purpose (CasareRPA: contains "exec"). */
    public boolean fromExecPort() {
        return isExecName(sourcePort);
    }
}
