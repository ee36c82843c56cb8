package com.casarerpa.orchestrator.service;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.JWTDecodeException;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.exceptions.TokenExpiredException;
import com.auth0.jwt.interfaces.DecodedJWT;
import com.casarerpa.common.config.Secret;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

/**
 * Access tokens of signed-in people: HS256 JWTs signed with {@code orchestrator.secret_key}, like
 * the tokens issued for API keys ({@link Tokens}), told apart from them by the claim
 * {@code typ: "user"}. {@code sub} is the user's id, {@code sid} the session's; the token is
 * short-lived, and every use checks the session and the user again ({@link UserSessions}).
 */
public final class UserTokens {
    static final String TYPE_CLAIM = "typ";
    static final String USER_TYPE = "user";
    private static final String SESSION_CLAIM = "sid";

    private final Algorithm algorithm;
    private final JWTVerifier verifier;

    public UserTokens(Secret secret, Clock clock) {
        this.algorithm = Algorithm.HMAC256(secret.reveal());
        this.verifier = ((JWTVerifier.BaseVerification) JWT.require(algorithm).withIssuer(Tokens.ISSUER)
                .withClaim(TYPE_CLAIM, USER_TYPE).withClaimPresence("exp").withClaimPresence(SESSION_CLAIM)).build(clock);
    }

    /** What a verified token says: whose session it belongs to. */
    public record Claims(String userId, String sessionId) {}

    String issue(String userId, String username, String sessionId, Instant issuedAt, Instant expiresAt) {
        return JWT.create()
                .withIssuer(Tokens.ISSUER)
                .withSubject(userId)
                .withClaim(TYPE_CLAIM, USER_TYPE)
                .withClaim(SESSION_CLAIM, sessionId)
                .withClaim("name", username)
                .withIssuedAt(issuedAt)
                .withExpiresAt(expiresAt)
                .withJWTId(UUID.randomUUID().toString())
                .sign(algorithm);
    }

    /** The claims of a valid token, or {@link NotAuthenticated} saying why not. */
    Claims verify(String token) {
        DecodedJWT jwt;
        try {
            jwt = verifier.verify(token);
        } catch (TokenExpiredException e) {
            throw new NotAuthenticated("the access token expired; get a new one from POST /api/v1/auth/refresh");
        } catch (JWTVerificationException e) {
            throw new NotAuthenticated("invalid token");
        }
        return new Claims(jwt.getSubject(), jwt.getClaim(SESSION_CLAIM).asString());
    }

    /**
     * True when a credential reads as a person's access token (its unverified {@code typ}); it is
     * then verified as one, and only as one, so a forged claim gains nothing.
     */
    static boolean claimsUser(String credential) {
        try {
            return USER_TYPE.equals(JWT.decode(credential).getClaim(TYPE_CLAIM).asString());
        } catch (JWTDecodeException e) {
            return false;
        }
    }
}
