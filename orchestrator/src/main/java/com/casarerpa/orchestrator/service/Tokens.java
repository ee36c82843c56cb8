package com.casarerpa.orchestrator.service;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.exceptions.TokenExpiredException;
import com.auth0.jwt.interfaces.DecodedJWT;
import com.casarerpa.common.config.Secret;
import com.casarerpa.orchestrator.domain.Actor;
import com.casarerpa.orchestrator.domain.ApiKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * JWTs (HS256, signed with {@code orchestrator.secret_key}) issued in exchange for an API key,
 * with {@code typ: "api_key"} ({@link UserTokens} issues people's, with {@code typ: "user"}).
 * A token names its key; every use checks the key again, so revoking the key ends its tokens.
 * A token never outlives its key, and a token without an expiry is refused.
 */
public final class Tokens {
    static final String ISSUER = "casare-rpa-orchestrator";
    /** The {@code typ} claim of a token issued for an API key (older tokens have none). */
    static final String API_KEY_TYPE = "api_key";

    private final ApiKeys keys;
    private final Algorithm algorithm;
    private final JWTVerifier verifier;
    private final Duration lifetime;
    private final Clock clock;

    public Tokens(ApiKeys keys, Secret secret, Duration lifetime, Clock clock) {
        this.keys = keys;
        this.algorithm = Algorithm.HMAC256(secret.reveal());
        this.lifetime = lifetime;
        this.clock = clock;
        // Every token this server issues expires; one without exp (signed with a leaked or reused
        // secret, say) would be valid for ever, so it is refused.
        this.verifier = ((JWTVerifier.BaseVerification) JWT.require(algorithm).withIssuer(ISSUER).withClaimPresence("exp"))
                .build(clock);
    }

    public record Issued(String token, Instant expiresAt) {}

    /** A token for the caller of an API key ({@code plaintext}). */
    public Issued issue(String apiKeyPlaintext) {
        Actor actor = keys.authenticate(apiKeyPlaintext);
        ApiKey key = keys.activeKey(actor.id());
        Instant now = clock.instant();
        Instant expires = now.plus(lifetime);
        if (key.expiresAt().isPresent() && key.expiresAt().get().isBefore(expires)) {
            expires = key.expiresAt().get();
        }
        String token = JWT.create()
                .withIssuer(ISSUER)
                .withSubject(key.id())
                .withClaim(UserTokens.TYPE_CLAIM, API_KEY_TYPE)
                .withClaim("role", key.role().wireName())
                .withClaim("name", key.name())
                .withIssuedAt(now)
                .withExpiresAt(expires)
                .withJWTId(UUID.randomUUID().toString())
                .sign(algorithm);
        return new Issued(token, expires);
    }

    /** The caller a token stands for, or {@link NotAuthenticated} saying why not. */
    public Actor authenticate(String token) {
        DecodedJWT jwt;
        try {
            jwt = verifier.verify(token);
        } catch (TokenExpiredException e) {
            throw new NotAuthenticated("the token expired; get a new one from POST /api/v1/auth/token");
        } catch (JWTVerificationException e) {
            throw new NotAuthenticated("invalid token");
        }
        // A person's access token is never taken for a key's (UserTokens checks those); older key tokens have no typ.
        String type = jwt.getClaim(UserTokens.TYPE_CLAIM).asString();
        if (type != null && !type.equals(API_KEY_TYPE)) {
            throw new NotAuthenticated("invalid token");
        }
        return keys.actorOf(keys.activeKey(jwt.getSubject()));
    }
}
