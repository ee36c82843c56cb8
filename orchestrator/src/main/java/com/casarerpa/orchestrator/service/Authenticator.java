package com.casarerpa.orchestrator.service;

import com.casarerpa.orchestrator.domain.Actor;
import java.util.Optional;

/**
 * Who a credential stands for, shared by the REST API and the robot WebSocket channel: an API
 * key ({@code crpa_…}) or a JWT issued for one. Keys are looked up on every call, so a revoked
 * key stops working at once on every instance.
 */
public final class Authenticator {
    private final ApiKeys keys;
    private final Tokens tokens;

    public Authenticator(ApiKeys keys, Tokens tokens) {
        this.keys = keys;
        this.tokens = tokens;
    }

    /**
     * The caller behind a credential.
     *
     * @throws NotAuthenticated when it is unknown, expired or revoked (the message never repeats it)
     */
    public Actor authenticate(String credential) {
        return credential.startsWith(ApiKeys.KEY_PREFIX) ? keys.authenticate(credential) : tokens.authenticate(credential);
    }

    /**
     * The credential of a request from its headers: {@code Authorization: Bearer …} first, then
     * {@code X-API-Key}. Either header may be null.
     */
    public static Optional<String> fromHeaders(String authorization, String apiKeyHeader) {
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String value = authorization.substring(7).strip();
            if (!value.isEmpty()) {
                return Optional.of(value);
            }
        }
        return apiKeyHeader == null || apiKeyHeader.isBlank() ? Optional.empty() : Optional.of(apiKeyHeader.strip());
    }
}
