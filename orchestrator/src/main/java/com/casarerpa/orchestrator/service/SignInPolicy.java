package com.casarerpa.orchestrator.service;

import java.time.Duration;

/**
 * The rules of people's sign-in ({@code auth.*}, docs/access.md).
 *
 * @param passwordMinLength  the shortest password accepted (in characters)
 * @param lockoutAttempts    failed sign-ins in a row that lock an account
 * @param lockout            how long a locked account stays locked
 * @param accessToken        lifetime of an access token (never beyond its session)
 * @param session            lifetime of a sign-in: its refresh token or dashboard cookie
 * @param passwordToken      lifetime of a one-time set-password token
 */
public record SignInPolicy(PasswordHasher.Params hashing, int passwordMinLength, int lockoutAttempts, Duration lockout,
        Duration accessToken, Duration session, Duration passwordToken) {
    /** The longest password accepted: Argon2 takes any length, but a request should not make it hash megabytes. */
    public static final int PASSWORD_MAX_LENGTH = 1024;

    /**
     * Checks a new password against the length rule.
     *
     * @throws InvalidInputException naming the field {@code password}
     */
    public void checkNewPassword(String password) {
        int length = password == null ? 0 : password.codePointCount(0, password.length());
        if (length < passwordMinLength) {
            throw new InvalidInputException("password", "must be at least " + passwordMinLength + " characters, got " + length);
        }
        if (length > PASSWORD_MAX_LENGTH) {
            throw new InvalidInputException("password", "must be at most " + PASSWORD_MAX_LENGTH + " characters");
        }
    }
}
