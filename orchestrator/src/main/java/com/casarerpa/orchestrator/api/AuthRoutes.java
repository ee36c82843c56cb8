package com.casarerpa.orchestrator.api;

import com.casarerpa.orchestrator.service.ApiKeys;
import com.casarerpa.orchestrator.service.NotAuthenticated;
import com.casarerpa.orchestrator.service.Tokens;
import io.javalin.config.RoutesConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * {@code POST /api/v1/auth/token}: exchanges an API key (in the body as {@code api_key}, or in
 * either auth header) for a JWT that the dashboard and scripts send as a Bearer token.
 */
public final class AuthRoutes implements RouteGroup {
    private final Tokens tokens;
    private final RateLimits rateLimits;
    private final Clock clock;

    public AuthRoutes(Tokens tokens, RateLimits rateLimits, Clock clock) {
        this.tokens = tokens;
        this.rateLimits = rateLimits;
        this.clock = clock;
    }

    record TokenResponse(String accessToken, String tokenType, long expiresIn, Instant expiresAt) {}

    @Override
    public void register(RoutesConfig routes) {
        routes.post("/api/v1/auth/token", ctx -> {
            // Public, but it checks secrets: limited per client address.
            rateLimits.enforceByAddress(ctx);
            String key = RequestBodies.optionalString(
                    RequestBodies.onlyFields(RequestBodies.objectOrEmpty(ctx, 16 * 1024), "the token exchange", "api_key"), "api_key")
                    .or(() -> Authentication.credential(ctx))
                    .orElseThrow(() -> new NotAuthenticated("send the API key as {\"api_key\": \"crpa_…\"} or in the X-API-Key header"));
            if (!key.startsWith(ApiKeys.KEY_PREFIX)) {
                throw ApiError.invalidField("api_key", "a token is exchanged for an API key (crpa_…), not for another token");
            }
            Tokens.Issued issued = tokens.issue(key);
            long seconds = Math.max(0, Duration.between(clock.instant(), issued.expiresAt()).toSeconds());
            ResponseHeaders.holdsSecret(ctx);
            ctx.json(new TokenResponse(issued.token(), "bearer", seconds, issued.expiresAt()));
        }, Access.PUBLIC);
    }
}
