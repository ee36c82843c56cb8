package com.casarerpa.orchestrator.api;

import com.casarerpa.orchestrator.domain.ApiKey;
import java.time.Instant;

/** An API key as the API shows it: never the key itself (except once, in {@link Created}). */
record ApiKeyView(String id, String name, String role, String prefix, String robotId, String status,
        Instant createdAt, String createdBy, Instant expiresAt, Instant lastUsedAt, Instant revokedAt) {

    static ApiKeyView of(ApiKey k, Instant now) {
        return new ApiKeyView(k.id(), k.name(), k.role().wireName(), k.prefix(), k.robotId().orElse(null),
                k.status(now).wireName(), k.createdAt(), k.createdBy(), k.expiresAt().orElse(null),
                k.lastUsedAt().orElse(null), k.revokedAt().orElse(null));
    }

    /** The answer to a create: the record and, this once, the key. */
    record Created(String id, String name, String role, String key, String robotId, Instant createdAt, Instant expiresAt) {}
}
