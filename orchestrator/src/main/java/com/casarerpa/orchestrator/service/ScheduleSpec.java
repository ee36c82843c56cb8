package com.casarerpa.orchestrator.service;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * A schedule as a caller writes it (create, or the fields an update changes), before its values
 * are checked. Empty fields keep their current value on update and take defaults on create:
 * enabled, time zone {@code scheduler.timezone}, misfire policy fire_once (limit 10), overlap
 * allow, job options of a plain submit.
 */
public record ScheduleSpec(
        Optional<String> name,
        Optional<String> workflow,
        Optional<String> cron,
        Optional<String> timezone,
        Optional<Boolean> enabled,
        Optional<String> misfirePolicy,
        Optional<Integer> misfireLimit,
        Optional<String> overlapPolicy,
        Optional<JsonNode> job) {

    /** A schedule trigger of a deploy: its cron, the rest default or from the trigger object. */
    public ScheduleSpec withWorkflow(String idOrName, String defaultName) {
        return new ScheduleSpec(name.or(() -> Optional.of(defaultName)), Optional.of(idOrName), cron, timezone, enabled,
                misfirePolicy, misfireLimit, overlapPolicy, job);
    }
}
