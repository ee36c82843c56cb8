package com.casarerpa.protocol.rest;

import java.time.Instant;

/** People's accounts as the REST API shows them (schemas {@code User}, {@code CreatedUser}, {@code SetPasswordToken}). */
public final class UserBodies {
    private UserBodies() {}

    /** A user; never its password or hash. {@code status} is {@code active} or {@code disabled}. */
    public record User(String id, String username, String email, String displayName, String status, Instant createdAt,
            String createdBy, Instant updatedAt, Instant lastLoginAt, Instant lockedUntil) {}

    /** A one-time token that sets the user's password at {@code path} (POST {@code {"token", "password"}}); shown once. */
    public record SetPasswordToken(String token, Instant expiresAt, String path) {}

    /** The answer to a create: the user and the token that sets its first password. */
    public record CreatedUser(User user, SetPasswordToken setPassword) {}
}
