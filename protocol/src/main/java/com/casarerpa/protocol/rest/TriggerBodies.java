package com.casarerpa.protocol.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * Schedules, their fires and webhooks as the REST API and the CLI's {@code --json} show them
 * (schemas {@code Schedule}, {@code Fire}, {@code Webhook}). Fire times are ISO-8601 with the
 * schedule's zone offset; {@code job} holds the options of the jobs the trigger starts.
 */
public final class TriggerBodies {
    private TriggerBodies() {}

    public record Schedule(String id, String name, String workflowId, String cron, String timezone, boolean enabled,
            String misfirePolicy, int misfireLimit, String overlapPolicy, String nextFireAt, String lastFireAt,
            String lastJobId, JsonNode job, List<String> nextFireTimes, String createdAt, String updatedAt,
            String createdBy, FolderRef folder) {}

    /** A fire in a schedule's history. */
    public record Fire(String scheduledAt, String firedAt, long lagMs, String kind, String outcome, String jobId,
            String reason) {}

    /** The answer of "trigger now": {@code outcome} {@code started} or {@code skipped} (then {@code reason}). */
    public record Fired(String scheduleId, String scheduledAt, String firedAt, String outcome, String jobId, String reason) {}

    /** {@code secret} only in the answer of the create. */
    public record Webhook(String id, String name, String workflowId, String url, String authMode, String variablesPath,
            boolean enabled, JsonNode job, String createdAt, String createdBy, FolderRef folder,
            @JsonInclude(Include.NON_NULL) String secret) {

        public Webhook withSecret(String s) {
            return new Webhook(id, name, workflowId, url, authMode, variablesPath, enabled, job, createdAt, createdBy, folder, s);
        }
    }
}
