package com.casarerpa.orchestrator.service;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;

/**
 * A job as a caller asks for it, before its values are checked: the workflow by id or by name
 * (one of the two), the version to pin (the latest when empty), the input {@code variables} (a
 * JSON object), and how to run it. Empty fields take their defaults: priority
 * {@value com.casarerpa.orchestrator.domain.Job#DEFAULT_PRIORITY}, {@code queue.max_retries},
 * no timeout, no requirements, any environment.
 */
public record JobRequest(
        Optional<String> workflowId,
        Optional<String> workflowName,
        Optional<Integer> version,
        Optional<JsonNode> variables,
        Optional<Integer> priority,
        Optional<Integer> maxRetries,
        Optional<Integer> timeoutSeconds,
        List<String> requiredCapabilities,
        List<String> tags,
        Optional<String> environment,
        Optional<String> idempotencyKey) {

    public JobRequest {
        requiredCapabilities = List.copyOf(requiredCapabilities);
        tags = List.copyOf(tags);
    }

    public JobRequest withIdempotencyKey(Optional<String> key) {
        return new JobRequest(workflowId, workflowName, version, variables, priority, maxRetries, timeoutSeconds,
                requiredCapabilities, tags, environment, key);
    }
}
