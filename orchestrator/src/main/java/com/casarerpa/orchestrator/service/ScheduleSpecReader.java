package com.casarerpa.orchestrator.service;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a {@link ScheduleSpec} from JSON, checking each field's type; a wrong or unknown field is
 * an {@link InvalidInputException} naming it (under {@code prefix}, e.g. {@code trigger.}).
 */
public final class ScheduleSpecReader {
    static final Set<String> FIELDS = Set.of("name", "workflow_id", "workflow_name", "cron", "timezone", "enabled",
            "misfire_policy", "misfire_limit", "overlap_policy", "job");

    private ScheduleSpecReader() {}

    /** @param extra fields the caller reads itself (a deploy trigger's {@code type}) */
    public static ScheduleSpec read(JsonNode body, String prefix, Set<String> extra) {
        body.fieldNames().forEachRemaining(f -> {
            if (!FIELDS.contains(f) && !extra.contains(f)) {
                throw new InvalidInputException(prefix + f, "unknown field; a schedule takes "
                        + String.join(", ", FIELDS.stream().sorted().toList()));
            }
        });
        Optional<String> id = string(body, prefix, "workflow_id");
        Optional<String> name = string(body, prefix, "workflow_name");
        if (id.isPresent() && name.isPresent()) {
            throw new InvalidInputException(prefix + "workflow_id", "give workflow_id or workflow_name, not both");
        }
        Optional<Integer> limit = present(body, "misfire_limit").map(v -> {
            if (!v.isIntegralNumber() || !v.canConvertToInt()) {
                throw new InvalidInputException(prefix + "misfire_limit", "must be a whole number, got " + v);
            }
            return v.asInt();
        });
        Optional<Boolean> enabled = present(body, "enabled").map(v -> {
            if (!v.isBoolean()) {
                throw new InvalidInputException(prefix + "enabled", "must be true or false, got " + v);
            }
            return v.asBoolean();
        });
        return new ScheduleSpec(string(body, prefix, "name"), id.or(() -> name), string(body, prefix, "cron"),
                string(body, prefix, "timezone"), enabled, string(body, prefix, "misfire_policy"), limit,
                string(body, prefix, "overlap_policy"), present(body, "job"));
    }

    private static Optional<JsonNode> present(JsonNode body, String field) {
        JsonNode v = body.get(field);
        return v == null || v.isNull() ? Optional.empty() : Optional.of(v);
    }

    private static Optional<String> string(JsonNode body, String prefix, String field) {
        return present(body, field).map(v -> {
            if (!v.isTextual()) {
                throw new InvalidInputException(prefix + field, "must be a string, got " + v);
            }
            return v.asText();
        });
    }
}
