package com.casarerpa.orchestrator.domain;

import java.util.List;
import java.util.Optional;

/**
 * The options of the jobs a trigger starts, checked when the trigger is saved (defaults
 * applied then): input variables (a JSON object as text), priority, retries, timeout,
 * requirements, and the workflow version to pin (the latest at fire time when empty). Stored as
 * JSON text with the trigger ({@code workflow.JobOptionsJson}).
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
}
