package com.casarerpa.orchestrator.domain;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A job as stored: what to run (a pinned workflow version with variables), how (priority,
 * retries, timeout, requirements) and where it is (state, attempt, the robot and lease holding
 * it). {@code variables} and {@code result} are JSON text. {@code stopping} is set while a
 * leased job is being stopped on its robot: {@code CANCELLED} or {@code TIMED_OUT}, the state it
 * ends in. {@code folderId} is the folder of its workflow when it was submitted; it never changes.
 */
public record Job(
        String id,
        String workflowId,
        int workflowVersion,
        JobState state,
        int priority,
        String variables,
        List<String> requiredCapabilities,
        List<String> tags,
        Optional<String> environment,
        Optional<String> idempotencyKey,
        int maxRetries,
        int attempt,
        Optional<Integer> timeoutSeconds,
        Instant runAfter,
        Optional<String> robotId,
        Optional<Instant> leaseExpiresAt,
        Optional<JobState> stopping,
        Optional<Integer> progress,
        Optional<String> result,
        Optional<String> errorType,
        Optional<String> errorMessage,
        String source,
        String createdBy,
        Instant createdAt,
        Instant updatedAt,
        Optional<Instant> startedAt,
        Optional<Instant> finishedAt,
        String folderId) {

    public static final int MIN_PRIORITY = 0;
    public static final int MAX_PRIORITY = 20;
    public static final int DEFAULT_PRIORITY = 10;

    /** Attempts allowed in all: the first one plus {@code maxRetries}. */
    public int maxAttempts() {
        return maxRetries + 1;
    }
}
