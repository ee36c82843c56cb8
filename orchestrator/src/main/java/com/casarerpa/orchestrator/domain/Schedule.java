package com.casarerpa.orchestrator.domain;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;

/**
 * A cron trigger of a workflow: each fire starts a job with {@code jobOptions} (checked when the
 * schedule was saved). {@code nextFireAt} is empty while the schedule is disabled.
 * {@code misfireLimit} bounds {@link MisfirePolicy#FIRE_ALL}. {@code folderId} is its workflow's
 * folder (moved with it).
 */
public record Schedule(
        String id,
        String name,
        String workflowId,
        CronExpression cron,
        ZoneId timezone,
        boolean enabled,
        JobOptions jobOptions,
        MisfirePolicy misfirePolicy,
        int misfireLimit,
        OverlapPolicy overlapPolicy,
        Optional<Instant> nextFireAt,
        Optional<Instant> lastFireAt,
        Optional<String> lastJobId,
        Instant createdAt,
        Instant updatedAt,
        String createdBy,
        String folderId) {

    public static final int DEFAULT_MISFIRE_LIMIT = 10;
    public static final int MAX_MISFIRE_LIMIT = 1000;
}
