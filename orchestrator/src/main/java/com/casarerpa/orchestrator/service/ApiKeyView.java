package com.casarerpa.orchestrator.service;

import com.casarerpa.orchestrator.domain.ApiKey;
import com.casarerpa.protocol.rest.ApiKeyBodies;
import java.time.Instant;

/** An API key as the API shows it ({@link ApiKeyBodies}): never the key itself (except once, in the create's answer). */
public final class ApiKeyView {
    private ApiKeyView() {}

    public static ApiKeyBodies.ApiKey of(ApiKey k, Instant now) {
        return new ApiKeyBodies.ApiKey(k.id(), k.name(), k.role().wireName(), k.prefix(), k.robotId().orElse(null),
                k.status(now).wireName(), k.createdAt(), k.createdBy(), k.expiresAt().orElse(null),
                k.lastUsedAt().orElse(null), k.revokedAt().orElse(null));
    }
}
