package com.casarerpa.bench;

import com.casarerpa.common.json.Json;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The top-level fields of a server message that a no-op robot acts on. Read with the streaming
 * parser, skipping nested objects (the workflow of a {@code job_assign}), so that the load
 * generator spends as little of the shared CPU as it can.
 */
record RobotMessage(String type, String replyTo, String jobId, String leaseToken, String code, String message,
        int heartbeatIntervalSeconds) {

    static RobotMessage parse(String text) {
        String type = null, replyTo = null, jobId = null, token = null, code = null, message = null;
        int heartbeat = 0;
        try (JsonParser p = Json.mapper().getFactory().createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalStateException("not a JSON object: " + text);
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
                    p.skipChildren();
                    continue;
                }
                switch (name) {
                    case "type" -> type = p.getText();
                    case "reply_to" -> replyTo = value == JsonToken.VALUE_NULL ? null : p.getText();
                    case "job_id" -> jobId = p.getText();
                    case "lease_token" -> token = p.getText();
                    case "code" -> code = p.getText();
                    case "message" -> message = p.getText();
                    case "heartbeat_interval_seconds" -> heartbeat = p.getIntValue();
                    default -> { }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new RobotMessage(type == null ? "" : type, replyTo, jobId, token, code, message, heartbeat);
    }
}
