package com.casarerpa.orchestrator.ws;

import com.casarerpa.common.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/** How the server's messages are written: envelope, times with milliseconds in UTC, JSON text. */
final class Replies {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private Replies() {}

    static ObjectNode message(String type) {
        ObjectNode m = Json.mapper().createObjectNode();
        m.put("type", type);
        return m;
    }

    static ObjectNode ack(String replyTo) {
        ObjectNode m = message("ack");
        m.put("reply_to", replyTo);
        return m;
    }

    /** An {@code error}; {@code type} and {@code jobId} (either may be null) of the refused message go to details. */
    static ObjectNode error(String replyTo, ProtocolError e, String type, String jobId) {
        ObjectNode m = message("error");
        m.put("reply_to", replyTo);
        m.put("code", e.code());
        m.put("message", e.getMessage());
        m.put("field", e.field());
        m.put("retryable", e.retryable());
        ObjectNode details = m.putObject("details");
        if (type != null) {
            details.put("type", type);
        }
        if (jobId != null) {
            details.put("job_id", jobId);
        }
        for (Map.Entry<String, Object> d : e.details().entrySet()) {
            details.set(d.getKey(), Json.mapper().valueToTree(d.getValue()));
        }
        return m;
    }

    static String time(Instant instant) {
        return TIME.format(instant);
    }

    static JsonNode parse(String json) {
        try {
            return Json.mapper().readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("stored JSON does not parse", e);
        }
    }

    static String text(JsonNode node) {
        return node.toString();
    }
}
