package com.casarerpa.protocol.rest;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.time.Instant;
import java.util.List;

/**
 * People's sign-in as the REST API answers it (schemas {@code TokenPair}, {@code SignedIn},
 * {@code DashboardSignedIn}, {@code Me}): the token shape CasareRPA clients expect.
 */
public final class AuthBodies {
    private AuthBodies() {}

    /** An access token (a JWT) and the refresh token that gets the next pair. {@code token_type} is {@code bearer}. */
    public record TokenPair(String accessToken, String refreshToken, String tokenType, long expiresIn, Instant expiresAt,
            Instant refreshExpiresAt) {}

    /** The answer to an API sign-in: the pair and who signed in. */
    public record SignedIn(@JsonUnwrapped TokenPair tokens, UserBodies.User user) {}

    /** The answer to a dashboard sign-in: the cookie is set; the CSRF token goes with every unsafe request. */
    public record DashboardSignedIn(String csrfToken, Instant expiresAt, UserBodies.User user) {}

    /** A group the caller belongs to. */
    public record Group(String id, String name) {}

    /** What the caller may do in one folder (the root's hold in every folder). */
    public record FolderPermissions(String folderId, List<String> permissions) {}

    /**
     * The caller: {@code kind} {@code user} (then {@code user} and {@code groups}), or
     * {@code api_key} for a key or its token (then {@code user} is null).
     */
    public record Me(String kind, String id, String name, UserBodies.User user, List<Group> groups,
            List<FolderPermissions> folders) {}
}
