package com.casarerpa.orchestrator.service;

import com.casarerpa.orchestrator.domain.Actor;
import com.casarerpa.orchestrator.domain.AuditTrail;
import com.casarerpa.orchestrator.domain.User;
import com.casarerpa.orchestrator.store.PasswordResetStore;
import com.casarerpa.orchestrator.store.SessionStore;
import com.casarerpa.orchestrator.store.UserStore;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;

/**
 * One-time set-password tokens: made by an admin (a new user without a password, a reset), used
 * once by the person at {@code POST /api/v1/auth/password}. Only the token's SHA-256 is stored;
 * a new token for a user voids the earlier unused one. Setting a password ends every session
 * of the user.
 */
public final class PasswordTokens {
    /** Where a token is used: {@code POST} {@code {"token", "password"}}. */
    public static final String SET_PASSWORD_PATH = "/api/v1/auth/password";
    private static final String PREFIX = "crpw_";

    private final PasswordResetStore store;
    private final UserStore users;
    private final SessionStore sessions;
    private final PasswordHasher hasher;
    private final SignInPolicy policy;
    private final AuditTrail audit;
    private final Clock clock;
    private final SecretTokens secrets = new SecretTokens();

    public PasswordTokens(PasswordResetStore store, UserStore users, SessionStore sessions, PasswordHasher hasher,
            SignInPolicy policy, AuditTrail audit, Clock clock) {
        this.store = store;
        this.users = users;
        this.sessions = sessions;
        this.hasher = hasher;
        this.policy = policy;
        this.audit = audit;
        this.clock = clock;
    }

    /** A token, shown once, and when it stops working. */
    public record OneTimeToken(String token, Instant expiresAt) {}

    /** A new token for {@code user}, in the caller's transaction (which records why it was made). */
    OneTimeToken issue(User user, Actor by) {
        Instant now = clock.instant();
        String token = secrets.next(PREFIX);
        Instant expires = now.plus(policy.passwordToken());
        store.insert(SecretTokens.hash(token), user.id(), now, expires, by.describe());
        return new OneTimeToken(token, expires);
    }

    /**
     * Sets the password of the token's user and uses the token up.
     *
     * @throws InvalidInputException for a password against the rules (the token stays usable)
     * @throws NotAuthenticated      for a token that is unknown, used or expired, or a disabled user's
     */
    public User setPassword(String token, String password) {
        policy.checkNewPassword(password);
        // Hashing takes a while: do it before the transaction holds anything.
        String hash = hasher.hash(password);
        return audit.atomically(() -> {
            Instant now = clock.instant();
            String userId = store.consume(SecretTokens.hash(token == null ? "" : token), now)
                    .orElseThrow(() -> new NotAuthenticated("the set-password token is unknown, used or expired;"
                            + " ask an admin for a new one (reset-password)"));
            User user = users.findById(userId).filter(User::active)
                    .orElseThrow(() -> new NotAuthenticated("the account of this set-password token is disabled"));
            users.setPasswordHash(userId, hash, now);
            int ended = sessions.revokeAllOf(userId, now);
            audit.record(Actor.user(user.id(), user.username(), com.casarerpa.orchestrator.domain.Grants.none()),
                    "user.set_password", "user", user.id(), Map.of("username", user.username(), "sessions_ended", ended));
            return user;
        });
    }
}
