package com.casarerpa.orchestrator.api;

import com.casarerpa.orchestrator.service.ScheduleSpec;
import com.casarerpa.orchestrator.service.ScheduleSpecReader;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;
import java.util.Set;

/**
 * The optional {@code trigger} of a deploy: {@code {"type": "schedule", "cron": "0 9 * * *"}},
 * with any other field of a schedule ({@code timezone}, {@code name}, {@code misfire_policy},
 * {@code job}, …). Read and checked before anything is stored; any other shape is a bad request.
 */
final class DeployTrigger {
    private DeployTrigger() {}

    static Optional<ScheduleSpec> read(JsonNode trigger) {
        if (trigger == null || trigger.isNull()) {
            return Optional.empty();
        }
        if (!trigger.isObject()) {
            throw ApiError.invalidField("trigger", "must be an object such as {\"type\":\"schedule\",\"cron\":\"0 9 * * *\"}");
        }
        JsonNode type = trigger.get("type");
        if (type == null || !type.isTextual()) {
            throw ApiError.invalidField("trigger.type", "is required and must be a string");
        }
        if (!type.asText().equals("schedule")) {
            throw ApiError.invalidField("trigger.type", "unknown trigger type \"" + type.asText() + "\"; the deploy trigger"
                    + " type is schedule (webhooks are made with POST /api/v1/webhooks)");
        }
        if (trigger.has("workflow_id") || trigger.has("workflow_name")) {
            throw ApiError.invalidField("trigger.workflow_id", "the deploy names the workflow; leave it out of the trigger");
        }
        return Optional.of(ScheduleSpecReader.read(trigger, "trigger.", Set.of("type")));
    }
}
