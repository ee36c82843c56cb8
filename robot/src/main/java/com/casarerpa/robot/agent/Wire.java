package com.casarerpa.robot.agent;

import com.casarerpa.common.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Small pieces of the wire format of docs/websocket-api.md. */
final class Wire {
    static final int PROTOCOL_VERSION = 1;
    /** Until {@code registered} says otherwise: the protocol's limit of a robot message. */
    static final int DEFAULT_MAX_MESSAGE_BYTES = 1024 * 1024;
    static final String TRUNCATED = "…[truncated]";

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private Wire() {}

    static ObjectNode message(String type) {
        return Json.mapper().createObjectNode().put("type", type);
    }

    /** A job message: the type, job_id and lease_token of the attempt. */
    static ObjectNode jobMessage(String type, String jobId, String leaseToken) {
        return message(type).put("job_id", jobId).put("lease_token", leaseToken);
    }

    /** ISO-8601 UTC with milliseconds, as the protocol writes times. */
    static String time(Instant instant) {
        return TIME.format(instant);
    }

    /** {@code text} cut to {@code max} characters, marked when cut. */
    static String cut(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        return text.substring(0, max - TRUNCATED.length()) + TRUNCATED;
    }

    static int bytes(JsonNode message) {
        return message.toString().getBytes(StandardCharsets.UTF_8).length;
    }

    static String text(JsonNode m, String field) {
        JsonNode v = m.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
