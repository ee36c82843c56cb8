package com.casarerpa.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * One run of a workflow.
 *
 * @param runId     identifies the run in logs (the job id for the robot)
 * @param workflow  the workflow definition as a JSON object (metadata, nodes, connections, variables, settings)
 * @param variables input variables, seeded before the run starts (values as submitted; null values allowed)
 * @param timeout   the longest the whole run may take, or {@code null} for none; the engine also
 *                  honours the workflow's {@code settings.timeout} and uses the shorter one
 */
public record ExecutionRequest(String runId, JsonNode workflow, Map<String, Object> variables, Duration timeout) {
    public ExecutionRequest {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(workflow, "workflow");
        variables = variables == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(variables));
    }
}
