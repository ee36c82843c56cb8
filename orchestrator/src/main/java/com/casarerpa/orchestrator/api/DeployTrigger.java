package com.casarerpa.orchestrator.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * The optional {@code trigger} of a deploy. Schedules arrive with the scheduler; until then a
 * schedule trigger is refused (422 {@code unsupported_trigger}) before anything is stored, and
 * any other shape is a bad request.
 */
final class DeployTrigger {
    private DeployTrigger() {}

    static void check(JsonNode trigger) {
        if (trigger == null || trigger.isNull()) {
            return;
        }
        if (!trigger.isObject()) {
            throw ApiError.invalidField("trigger", "must be an object such as {\"type\":\"schedule\",\"cron\":\"0 9 * * *\"}");
        }
        JsonNode type = trigger.get("type");
        if (type == null || !type.isTextual()) {
            throw ApiError.invalidField("trigger.type", "is required and must be a string");
        }
        if (type.asText().equals("schedule")) {
            throw new ApiError(422, "unsupported_trigger", "Schedule triggers are not supported yet: schedules arrive with"
                    + " the scheduler. Nothing was stored; deploy without a trigger.", Map.of("field", "trigger.type"));
        }
        throw ApiError.invalidField("trigger.type", "unknown trigger type \"" + type.asText() + "\"");
    }
}
