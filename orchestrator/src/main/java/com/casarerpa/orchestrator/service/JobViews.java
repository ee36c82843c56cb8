package com.casarerpa.orchestrator.service;

import com.casarerpa.orchestrator.domain.Job;
import com.casarerpa.orchestrator.domain.JobAttempt;
import com.casarerpa.orchestrator.domain.JobLogEntry;
import com.casarerpa.orchestrator.domain.JobState;
import com.casarerpa.orchestrator.workflow.WorkflowJson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The JSON shapes of jobs on the wire, in one place for the REST API and the CLI. Names are
 * snake_case, times ISO-8601 instants, {@code variables} and {@code result} JSON values (never
 * strings holding JSON); absent values are {@code null}. Sensitive values in {@code variables}
 * and {@code result} are hidden for every role ({@link SensitiveValues}): the secret-looking names
 * and the variables the job's workflow version declares sensitive. Robots get the real values in
 * their assignments, which are not made here.
 */
public final class JobViews {
    private final SensitiveDeclarations sensitive;

    public JobViews(SensitiveDeclarations sensitive) {
        this.sensitive = sensitive;
    }

    /** A job as listed and as answered by submit, cancel and retry. */
    public Map<String, Object> summary(Job j) {
        Set<String> declared = sensitive.of(j.workflowId(), j.workflowVersion());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", j.id());
        m.put("workflow_id", j.workflowId());
        m.put("workflow_version", j.workflowVersion());
        m.put("state", j.state().wireName());
        m.put("priority", j.priority());
        m.put("variables", SensitiveValues.variables(json(j.variables()), declared));
        m.put("required_capabilities", j.requiredCapabilities());
        m.put("tags", j.tags());
        m.put("environment", j.environment().orElse(null));
        m.put("idempotency_key", j.idempotencyKey().orElse(null));
        m.put("max_retries", j.maxRetries());
        m.put("attempt", j.attempt());
        m.put("timeout_seconds", j.timeoutSeconds().orElse(null));
        m.put("run_after", j.runAfter());
        m.put("robot_id", j.robotId().orElse(null));
        m.put("lease_expires_at", j.leaseExpiresAt().orElse(null));
        m.put("stopping", j.state().leased() ? j.stopping().map(JobState::wireName).orElse(null) : null);
        m.put("progress", j.progress().orElse(null));
        m.put("result", j.result().map(r -> SensitiveValues.result(json(r), declared)).orElse(null));
        m.put("error", error(j.errorType(), j.errorMessage()));
        m.put("source", j.source());
        m.put("created_by", j.createdBy());
        m.put("created_at", j.createdAt());
        m.put("updated_at", j.updatedAt());
        m.put("started_at", j.startedAt().orElse(null));
        m.put("finished_at", j.finishedAt().orElse(null));
        return m;
    }

    /** The summary plus {@code waiting_reason} (pending jobs; else null) and {@code attempts}, oldest first. */
    public Map<String, Object> detail(JobDetails d) {
        Map<String, Object> m = summary(d.job());
        m.put("waiting_reason", d.waitingReason().orElse(null));
        m.put("attempts", d.attempts().stream().map(JobViews::attempt).toList());
        return m;
    }

    public static Map<String, Object> attempt(JobAttempt a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("attempt", a.attempt());
        m.put("robot_id", a.robotId());
        m.put("assigned_at", a.assignedAt());
        m.put("started_at", a.startedAt().orElse(null));
        m.put("ended_at", a.endedAt().orElse(null));
        m.put("outcome", a.outcome().orElse(null));
        m.put("error", error(a.errorType(), a.errorMessage()));
        return m;
    }

    public static Map<String, Object> log(JobLogEntry e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", e.id());
        m.put("attempt", e.attempt());
        m.put("logged_at", e.loggedAt());
        m.put("level", e.level());
        m.put("node_id", e.nodeId().orElse(null));
        m.put("message", e.message());
        return m;
    }

    private static Map<String, Object> error(Optional<String> type, Optional<String> message) {
        if (type.isEmpty() && message.isEmpty()) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", type.orElse(null));
        m.put("message", message.orElse(null));
        return m;
    }

    /** Stored JSON text as a value; text that is not JSON (written by hand) stays a string rather than failing the read. */
    private static JsonNode json(String text) {
        try {
            return WorkflowJson.parse(text);
        } catch (IllegalArgumentException e) {
            return TextNode.valueOf(text);
        }
    }
}
