package com.casarerpa.orchestrator.service;

import com.casarerpa.orchestrator.domain.Job;
import com.casarerpa.orchestrator.workflow.WorkflowJson;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The rules for the values of a job request, each broken rule an {@link InvalidInputException}
 * naming the field under {@code prefix}. The answer holds the values to store, defaults applied.
 */
final class JobRequestChecks {
    static final int MAX_LIST = 50;
    static final int MAX_NAME = 200;
    static final int MAX_ENVIRONMENT = 100;
    static final int MAX_IDEMPOTENCY_KEY = 200;
    static final String WEBHOOK_KEYS = "webhook:";
    static final int MAX_RETRIES = 100;
    static final int MAX_VARIABLES_BYTES = 1024 * 1024;

    /** A request's values, checked and with their defaults. */
    record Checked(String variablesJson, int priority, int maxRetries, Optional<Integer> timeoutSeconds,
            List<String> requiredCapabilities, List<String> tags, Optional<String> environment,
            Optional<String> idempotencyKey) {}

    private JobRequestChecks() {}

    static Checked check(JobRequest r, String prefix, int defaultMaxRetries) {
        if (r.workflowId().isPresent() == r.workflowName().isPresent()) {
            throw new InvalidInputException(prefix + "workflow_id", r.workflowId().isPresent()
                    ? "give workflow_id or workflow_name, not both"
                    : "is required (or workflow_name): the workflow to run");
        }
        r.workflowId().ifPresent(v -> nonBlank(prefix + "workflow_id", v, MAX_NAME));
        r.workflowName().ifPresent(v -> nonBlank(prefix + "workflow_name", v, MAX_NAME));
        r.version().ifPresent(v -> atLeast(prefix + "version", v, 1));
        int priority = r.priority().orElse(Job.DEFAULT_PRIORITY);
        if (priority < Job.MIN_PRIORITY || priority > Job.MAX_PRIORITY) {
            throw new InvalidInputException(prefix + "priority", "must be from " + Job.MIN_PRIORITY + " to "
                    + Job.MAX_PRIORITY + " (higher runs first), got " + priority);
        }
        int maxRetries = r.maxRetries().orElse(defaultMaxRetries);
        atLeast(prefix + "max_retries", maxRetries, 0);
        if (maxRetries > MAX_RETRIES) {
            throw new InvalidInputException(prefix + "max_retries", "must be at most " + MAX_RETRIES + ", got " + maxRetries);
        }
        r.timeoutSeconds().ifPresent(v -> atLeast(prefix + "timeout_seconds", v, 1));
        return new Checked(variables(prefix + "variables", r.variables()), priority, maxRetries, r.timeoutSeconds(),
                names(prefix + "required_capabilities", r.requiredCapabilities()), names(prefix + "tags", r.tags()),
                r.environment().map(v -> nonBlank(prefix + "environment", v, MAX_ENVIRONMENT)),
                r.idempotencyKey().map(v -> idempotencyKey(prefix + "idempotency_key", v)));
    }

    private static String variables(String field, Optional<JsonNode> variables) {
        if (variables.isEmpty()) {
            return "{}";
        }
        if (!variables.get().isObject()) {
            throw new InvalidInputException(field, "must be a JSON object of name to value, got "
                    + JobRequestReader.shown(variables.get()));
        }
        String json = WorkflowJson.compact(variables.get());
        if (json.getBytes(StandardCharsets.UTF_8).length > MAX_VARIABLES_BYTES) {
            throw new InvalidInputException(field, "must be at most " + MAX_VARIABLES_BYTES + " bytes as JSON");
        }
        return json;
    }

    private static List<String> names(String field, List<String> values) {
        if (values.size() > MAX_LIST) {
            throw new InvalidInputException(field, "at most " + MAX_LIST + " entries, got " + values.size());
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            String v = nonBlank(field + "[" + i + "]", values.get(i), MAX_NAME);
            if (!out.contains(v)) {
                out.add(v);
            }
        }
        return out;
    }

    private static String nonBlank(String field, String value, int maxLength) {
        String v = value.strip();
        if (v.isEmpty()) {
            throw new InvalidInputException(field, "must not be blank");
        }
        if (v.length() > maxLength) {
            throw new InvalidInputException(field, "must be at most " + maxLength + " characters, got " + v.length());
        }
        return v;
    }

    /**
     * Kept exactly as sent: a key is opaque, and "a " is not "a". Keys starting with
     * {@value #WEBHOOK_KEYS} are the webhooks' ({@code webhook:<id>:<delivery id>}), so a
     * listing never shows a caller's key as a delivery's.
     */
    static String idempotencyKey(String field, String key) {
        nonBlank(field, key, MAX_IDEMPOTENCY_KEY);
        if (key.length() > MAX_IDEMPOTENCY_KEY) {
            throw new InvalidInputException(field, "must be at most " + MAX_IDEMPOTENCY_KEY + " characters, got " + key.length());
        }
        if (key.regionMatches(true, 0, WEBHOOK_KEYS, 0, WEBHOOK_KEYS.length())) {
            throw new InvalidInputException(field, "keys starting with \"" + WEBHOOK_KEYS + "\" are reserved for the jobs"
                    + " of webhook deliveries; choose another key");
        }
        return key;
    }

    private static void atLeast(String field, int value, int min) {
        if (value < min) {
            throw new InvalidInputException(field, "must be at least " + min + ", got " + value);
        }
    }
}
