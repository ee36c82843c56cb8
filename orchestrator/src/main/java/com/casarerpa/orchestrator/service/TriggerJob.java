package com.casarerpa.orchestrator.service;

import com.casarerpa.common.json.Json;
import com.casarerpa.orchestrator.domain.Folder;
import com.casarerpa.orchestrator.domain.JobOptions;
import com.casarerpa.orchestrator.domain.Workflow;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The {@code job} object of a trigger (schedule or webhook): the options of the jobs it starts,
 * as {@code POST /api/v1/jobs} takes them, without the workflow (the trigger names it) and
 * without an idempotency key (the trigger makes its own). Checked by the same rules as a
 * submit, each wrong field named under {@code job.}.
 */
final class TriggerJob {
    private static final List<String> NOT_HERE = List.of("workflow_id", "workflow_name", "idempotency_key");

    private TriggerJob() {}

    /** Checks a {@code job} object before its workflow exists (a deploy's trigger); the version is checked later. */
    static void check(Optional<JsonNode> job, int defaultMaxRetries) {
        options(job, new Workflow("wf_unsaved", "unsaved", null, List.of(), Integer.MAX_VALUE, Instant.EPOCH,
                Instant.EPOCH, "check", Folder.ROOT_ID), defaultMaxRetries);
    }

    /** @param job the {@code job} object; empty means every default */
    static JobOptions options(Optional<JsonNode> job, Workflow workflow, int defaultMaxRetries) {
        JsonNode body = job.orElseGet(() -> Json.mapper().createObjectNode());
        if (!body.isObject()) {
            throw new InvalidInputException("job", "must be an object of job options such as {\"priority\": 15, \"variables\": {}}");
        }
        for (String field : NOT_HERE) {
            if (body.has(field)) {
                throw new InvalidInputException("job." + field, field.startsWith("workflow")
                        ? "the trigger names the workflow; leave it out of job" : "a trigger makes its own idempotency keys");
            }
        }
        JobRequest r = JobRequestReader.read(body, "job.");
        JobRequest request = new JobRequest(Optional.of(workflow.id()), Optional.empty(), r.version(), r.variables(),
                r.priority(), r.maxRetries(), r.timeoutSeconds(), r.requiredCapabilities(), r.tags(), r.environment(),
                Optional.empty());
        JobRequestChecks.Checked c = JobRequestChecks.check(request, "job.", defaultMaxRetries);
        r.version().ifPresent(v -> {
            if (v > workflow.latestVersion()) {
                throw new InvalidInputException("job.version", "workflow " + workflow.id() + " has versions 1 to "
                        + workflow.latestVersion() + ", not " + v);
            }
        });
        return new JobOptions(c.variablesJson(), c.priority(), c.maxRetries(), c.timeoutSeconds(), c.requiredCapabilities(),
                c.tags(), c.environment(), r.version());
    }
}
