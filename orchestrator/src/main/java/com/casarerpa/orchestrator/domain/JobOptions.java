package com.casarerpa.orchestrator.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The options of the jobs a trigger starts, checked when the trigger is saved (defaults
 * applied then): input variables (a JSON object as text), priority, retries, timeout,
 * requirements, and the workflow version to pin (the latest at fire time when empty). Stored as
 * JSON text with the trigger.
 */
public record JobOptions(String variablesJson, int priority, int maxRetries, Optional<Integer> timeoutSeconds,
        List<String> requiredCapabilities, List<String> tags, Optional<String> environment, Optional<Integer> version) {

    public JobOptions {
        requiredCapabilities = List.copyOf(requiredCapabilities);
        tags = List.copyOf(tags);
    }

    /** The same options with other variables (a webhook's body). */
    public JobOptions withVariables(String json) {
        return new JobOptions(json, priority, maxRetries, timeoutSeconds, requiredCapabilities, tags, environment, version);
    }

    public String toJson() {
        ObjectNode o = WorkflowJson.mapper().createObjectNode();
        o.set("variables", WorkflowJson.parse(variablesJson));
        o.put("priority", priority);
        o.put("max_retries", maxRetries);
        timeoutSeconds.ifPresent(t -> o.put("timeout_seconds", t));
        requiredCapabilities.forEach(o.putArray("required_capabilities")::add);
        if (!o.has("required_capabilities")) {
            o.putArray("required_capabilities");
        }
        tags.forEach(o.putArray("tags")::add);
        if (!o.has("tags")) {
            o.putArray("tags");
        }
        environment.ifPresent(e -> o.put("environment", e));
        version.ifPresent(v -> o.put("version", v));
        return WorkflowJson.compact(o);
    }

    public static JobOptions fromJson(String json) {
        JsonNode o = WorkflowJson.parse(json);
        return new JobOptions(WorkflowJson.compact(o.get("variables")), o.get("priority").asInt(), o.get("max_retries").asInt(),
                Optional.ofNullable(o.get("timeout_seconds")).map(JsonNode::asInt), strings(o.get("required_capabilities")),
                strings(o.get("tags")), Optional.ofNullable(o.get("environment")).map(JsonNode::asText),
                Optional.ofNullable(o.get("version")).map(JsonNode::asInt));
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array != null) {
            array.forEach(v -> out.add(v.asText()));
        }
        return out;
    }
}
