package com.casarerpa.robot.agent;

import com.casarerpa.protocol.ws.Protocol;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** Small pieces of the wire format of docs/websocket-api.md that the robot adds to the protocol's records. */
final class Wire {
    static final String TRUNCATED = "…[truncated]";

    private Wire() {}

    /** ISO-8601 UTC with milliseconds, as the protocol writes times. */
    static String time(Instant instant) {
        return Protocol.time(instant);
    }

    /** {@code text} cut to {@code max} characters, marked when cut. */
    static String cut(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        return text.substring(0, max - TRUNCATED.length()) + TRUNCATED;
    }

    /** The size of a message (or a part of one) as JSON in UTF-8. */
    static int bytes(Object message) {
        return Protocol.text(message).getBytes(StandardCharsets.UTF_8).length;
    }

    static int orDefault(Integer value, int otherwise) {
        return value == null ? otherwise : value;
    }
}
