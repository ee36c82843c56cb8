package com.casarerpa.protocol.rest;

import java.time.Instant;
import java.util.List;

/** API keys as the REST API shows them (schemas {@code ApiKey}, {@code CreatedApiKey}): never the key, except once. */
public final class ApiKeyBodies {
    private ApiKeyBodies() {}

    public record ApiKey(String id, String name, String role, String prefix, String robotId, String status,
            Instant createdAt, String createdBy, Instant expiresAt, Instant lastUsedAt, Instant revokedAt) {}

    /**
     * The answer to a create: the record and, this once, the key. {@code folders}: the folder ids a
     * robot key puts the robots that register with it in (empty for other keys).
     */
    public record CreatedApiKey(String id, String name, String role, String key, String robotId, Instant createdAt,
            Instant expiresAt, List<String> folders) {}
}
