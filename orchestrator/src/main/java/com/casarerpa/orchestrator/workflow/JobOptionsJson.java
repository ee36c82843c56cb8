package com.casarerpa.orchestrator.workflow;

import com.casarerpa.orchestrator.domain.JobOptions;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@link JobOptions} as the JSON text a trigger stores them in. */
public final class JobOptionsJson {
    private JobOptionsJson() {}

    public static String toJson(JobOptions options) {
        ObjectNode o = WorkflowJson.mapper().createObjectNode();
        o.set("variables", WorkflowJson.parse(options.variablesJson()));
        o.put("priority", options.priority());
        o.put("max_retries", options.maxRetries());
        options.timeoutSeconds().ifPresent(t -> o.put("timeout_seconds", t));
        options.requiredCapabilities().forEach(o.putArray("required_capabilities")::add);
        if (!o.has("required_capabilities")) {
            o.putArray("required_capabilities");
        }
        options.tags().forEach(o.putArray("tags")::add);
        if (!o.has("tags")) {
            o.putArray("tags");
        }
        options.environment().ifPresent(e -> o.put("environment", e));
        options.version().ifPresent(v -> o.put("version", v));
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
