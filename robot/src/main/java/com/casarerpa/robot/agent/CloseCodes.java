package com.casarerpa.robot.agent;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What the robot makes of the close codes by which the orchestrator ends a connection for good
 * (docs/websocket-api.md, "Close codes"): each one is a refusal that reconnecting cannot fix, so
 * the robot stops and says why. Every other code is a lost connection the robot reconnects after.
 */
final class CloseCodes {
    private CloseCodes() {}

    /**
     * The reason to stop for {@code code}, or empty when the robot should reconnect.
     *
     * @param reason the close frame's reason, possibly empty
     * @param idFile where the robot keeps its identity, named when another key must be used
     */
    static Optional<String> fatal(int code, String reason, String robotId, Path idFile) {
        String why = reason(reason);
        return Optional.ofNullable(switch (code) {
            case 4001 -> "the orchestrator closed the connection: the API key is no longer valid (4001)" + why;
            case 4003 -> "the API key may not act for robot " + robotId + " (4003)" + why
                    + "; use the key that registered it, or remove " + idFile;
            case 4004 -> "an administrator deleted robot " + robotId + " (4004)" + why
                    + "; starting the robot again registers it afresh";
            case 4009 -> "another process registered as robot " + robotId + " (4009)" + why
                    + "; each robot needs its own work dir and identity";
            case 4010 -> "the orchestrator speaks no protocol version this robot speaks (4010)" + why;
            case 4022 -> "the orchestrator refused the registration (4022)" + why;
            default -> null;
        });
    }

    /** The close frame's reason as a log message's suffix: {@code " (reason)"}, or nothing. */
    static String reason(String reason) {
        return reason == null || reason.isEmpty() ? "" : " (" + reason + ")";
    }
}
