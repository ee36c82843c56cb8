package com.casarerpa.orchestrator.service;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a job request from JSON (a REST body, an entry of a batch, a file), checking the type of
 * every field; the values are checked when the job is submitted. A wrong field is an
 * {@link InvalidInputException} naming its JSON path under {@code prefix} ({@code jobs[3].priority}).
 * Unknown fields are refused, so a misspelt {@code priorty} is not silently ignored.
 */
public final class JobRequestReader {
    static final Set<String> FIELDS = Set.of("workflow_id", "workflow_name", "version", "variables", "priority",
            "max_retries", "timeout_seconds", "required_capabilities", "tags", "environment", "idempotency_key");

    private final JsonNode body;
    private final String prefix;

    private JobRequestReader(JsonNode body, String prefix) {
        this.body = body;
        this.prefix = prefix;
    }

    /** @param prefix the path of {@code body} in its document with a trailing dot ({@code jobs[3].}), or "" */
    public static JobRequest read(JsonNode body, String prefix) {
        if (body == null || !body.isObject()) {
            throw new InvalidInputException(prefix.isEmpty() ? "" : prefix.substring(0, prefix.length() - 1),
                    "a job must be a JSON object such as {\"workflow_id\": \"wf_…\"}");
        }
        body.fieldNames().forEachRemaining(field -> {
            if (!FIELDS.contains(field)) {
                throw new InvalidInputException(prefix + field, "unknown field; a job takes "
                        + String.join(", ", FIELDS.stream().sorted().toList()));
            }
        });
        JobRequestReader r = new JobRequestReader(body, prefix);
        return new JobRequest(r.string("workflow_id"), r.string("workflow_name"), r.integer("version"),
                r.present("variables"), r.integer("priority"), r.integer("max_retries"), r.integer("timeout_seconds"),
                r.strings("required_capabilities"), r.strings("tags"), r.string("environment"), r.string("idempotency_key"));
    }

    private Optional<JsonNode> present(String field) {
        JsonNode v = body.get(field);
        return v == null || v.isNull() ? Optional.empty() : Optional.of(v);
    }

    private Optional<String> string(String field) {
        return present(field).map(v -> {
            if (!v.isTextual()) {
                throw new InvalidInputException(prefix + field, "must be a string, got " + shown(v));
            }
            return v.asText();
        });
    }

    private Optional<Integer> integer(String field) {
        return present(field).map(v -> {
            if (!v.isIntegralNumber() || !v.canConvertToInt()) {
                throw new InvalidInputException(prefix + field, "must be a whole number, got " + shown(v));
            }
            return v.asInt();
        });
    }

    private List<String> strings(String field) {
        Optional<JsonNode> v = present(field);
        if (v.isEmpty()) {
            return List.of();
        }
        if (!v.get().isArray()) {
            throw new InvalidInputException(prefix + field, "must be an array of strings, got " + shown(v.get()));
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < v.get().size(); i++) {
            JsonNode item = v.get().get(i);
            if (!item.isTextual()) {
                throw new InvalidInputException(prefix + field + "[" + i + "]", "must be a string, got " + shown(item));
            }
            out.add(item.asText());
        }
        return out;
    }

    /** A value as it appears in a message, cut short. */
    static String shown(JsonNode v) {
        String text = v.toString();
        return text.length() <= 60 ? text : text.substring(0, 57) + "...";
    }
}
