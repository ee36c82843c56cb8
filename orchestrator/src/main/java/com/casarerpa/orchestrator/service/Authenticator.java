package com.casarerpa.orchestrator.service;

import com.casarerpa.orchestrator.domain.Actor;
import java.util.Optional;

/**
 * Who a credential stands for, shared by the REST API and the robot WebSocket channel: an API
 * key ({@code crpa_…}), a JWT issued for one, or a signed-in person's access token (a JWT with
 * {@code typ: "user"}); and, for the REST API only, a dashboard session cookie. Keys and
 * sessions are looked up on every call (keys in Redis when configured, which every revocation
 * invalidates before it answers: {@link com.casarerpa.orchestrator.store.RedisKeyCache}), so a
 * revoked key, an ended session or a disabled user stops working at once on every instance.
 */
public final class Authenticator {
    private final ApiKeys keys;
    private final Tokens tokens;
    private final UserSessions sessions;

    public Authenticator(ApiKeys keys, Tokens tokens, UserSessions sessions) {
        this.keys = keys;
        this.tokens = tokens;
        this.sessions = sessions;
    }

    /**
     * The caller behind a credential.
     *
     * @throws NotAuthenticated when it is unknown, expired or revoked (the message never repeats it)
     */
    public Actor authenticate(String credential) {
        return caller(credential).actor();
    }

    /** As {@link #authenticate}, with the session of a person's access token. */
    public Caller caller(String credential) {
        if (credential.startsWith(ApiKeys.KEY_PREFIX)) {
            return Caller.of(keys.authenticate(credential));
        }
        return UserTokens.claimsUser(credential) ? sessions.authenticateToken(credential) : Caller.of(tokens.authenticate(credential));
    }

    /** The caller of a dashboard session cookie ({@code casare_session}), with its CSRF hash. */
    public Caller sessionCookie(String cookie) {
        return sessions.authenticateCookie(cookie);
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
