package com.casarerpa.orchestrator.domain;

import java.time.Instant;

/**
 * A webhook trigger of a workflow: {@code POST /webhooks/{id}} with a valid signature (auth mode
 * {@code hmac}) or key (auth mode {@code key}) starts a job with {@code jobOptions}, its
 * variables taken from the request body at {@code variablesPath} (a JSON pointer; "" is the
 * whole body). {@code secret} is the HMAC secret, or the SHA-256 (hex) of the key.
 * {@code folderId} is its workflow's folder (moved with it).
 */
public record Webhook(String id, String name, String workflowId, WebhookAuth authMode, String secret,
        String variablesPath, JobOptions jobOptions, boolean enabled, Instant createdAt, String createdBy,
        String folderId) {}
