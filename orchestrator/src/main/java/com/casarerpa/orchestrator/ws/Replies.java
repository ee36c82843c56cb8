package com.casarerpa.orchestrator.ws;

import com.casarerpa.common.json.Json;
import com.casarerpa.orchestrator.service.RobotJobs;
import com.casarerpa.protocol.ws.Parts;
import com.casarerpa.protocol.ws.Protocol;
import com.casarerpa.protocol.ws.ServerMessage;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** How the server's messages are written: envelope, times with milliseconds in UTC, JSON text. */
final class Replies {
    private Replies() {}

    /** An {@code error}; {@code type} and {@code jobId} (either may be null) of the refused message go to details. */
    static ServerMessage.Error error(String replyTo, ProtocolError e, String type, String jobId) {
        ObjectNode details = Json.mapper().createObjectNode();
        if (type != null) {
            details.put("type", type);
        }
        if (jobId != null) {
            details.put("job_id", jobId);
        }
        for (Map.Entry<String, Object> d : e.details().entrySet()) {
            details.set(d.getKey(), Json.mapper().valueToTree(d.getValue()));
        }
        return new ServerMessage.Error(null, replyTo, e.code(), e.getMessage(), e.field(), e.retryable(), details);
    }

    /** The leases of a {@code register} or {@code heartbeat} that are not live, with the reason each ended. */
    static List<Parts.LostLease> lost(RobotJobs.HeldLeases held) {
        return held.leases().stream().filter(l -> !l.live())
                .map(l -> new Parts.LostLease(l.jobId(), l.token(), l.lostReason())).toList();
    }

    static String time(Instant instant) {
        return Protocol.time(instant);
    }

    static JsonNode parse(String json) {
        try {
            return Json.mapper().readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("stored JSON does not parse", e);
        }
    }
}
