package com.casarerpa.orchestrator.store;

import static com.casarerpa.orchestrator.store.Jdbi3.instant;
import static com.casarerpa.orchestrator.store.Jdbi3.ts;

import com.casarerpa.orchestrator.domain.UserIdentity;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.jdbi.v3.core.Jdbi;

/**
 * Users' accounts at OpenID Connect providers ({@code user_identities}), and what single sign-on
 * needs of {@code users} besides {@link UserStore}. An identity is {@code (issuer, subject)}: the
 * provider's own stable id of the person; the email beside it is information, never a key.
 * Writes join the caller's transaction when one is under way on the thread (the audit trail's).
 */
public final class UserIdentityStore {
    private final Jdbi jdbi;

    public UserIdentityStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** The id of the user linked to {@code (issuer, subject)}, if any. */
    public Optional<String> userIdOf(String issuer, String subject) {
        return get(() -> jdbi.withHandle(h -> h.createQuery("SELECT user_id FROM user_identities"
                        + " WHERE issuer = :issuer AND subject = :subject")
                .bind("issuer", issuer).bind("subject", subject)
                .mapTo(String.class)
                .findOne()));
    }

    /** The usernames that are {@code base} or {@code base} followed by {@code -} and anything. */
    public List<String> usernamesLike(String base) {
        String escaped = base.replace("!", "!!").replace("%", "!%").replace("_", "!_");
        return get(() -> jdbi.withHandle(h -> h.createQuery("SELECT username FROM users WHERE username = :base"
                        + " OR username LIKE :pattern ESCAPE '!'")
                .bind("base", base).bind("pattern", escaped + "-%")
                .mapTo(String.class)
                .list()));
    }

    /** @throws UniqueViolationException when the identity is linked already (to this or another user) */
    public void insertIdentity(UserIdentity identity) {
        run(() -> jdbi.useHandle(h -> h.createUpdate("INSERT INTO user_identities (issuer, subject, user_id, email, linked_at)"
                        + " VALUES (:issuer, :subject, :user, :email, :at)")
                .bind("issuer", identity.issuer()).bind("subject", identity.subject()).bind("user", identity.userId())
                .bind("email", identity.email().orElse(null)).bind("at", ts(identity.linkedAt()))
                .execute()));
    }

    /**
     * A sign-in through an identity: its email as the provider gives it now, and the user's last
     * sign-in (a password lockout is left as it is: this sign-in did not use the password).
     */
    public void recordSignIn(String issuer, String subject, String userId, Optional<String> email, Instant at) {
        run(() -> jdbi.useHandle(h -> {
            h.createUpdate("UPDATE user_identities SET email = :email WHERE issuer = :issuer AND subject = :subject")
                    .bind("email", email.orElse(null)).bind("issuer", issuer).bind("subject", subject)
                    .execute();
            h.createUpdate("UPDATE users SET last_login_at = :at WHERE id = :id")
                    .bind("at", ts(at)).bind("id", userId)
                    .execute();
        }));
    }

    /** The identities of a user, by issuer and subject. */
    public List<UserIdentity> identitiesOf(String userId) {
        return get(() -> jdbi.withHandle(h -> h.createQuery("SELECT issuer, subject, user_id, email, linked_at FROM user_identities"
                        + " WHERE user_id = :user ORDER BY issuer, subject")
                .bind("user", userId)
                .map((rs, ctx) -> new UserIdentity(rs.getString("issuer"), rs.getString("subject"), rs.getString("user_id"),
                        Optional.ofNullable(rs.getString("email")), instant(rs.getObject("linked_at")).orElseThrow()))
                .list()));
    }

    /** Removes one link of a user; false when the user has no such identity. */
    public boolean deleteIdentity(String userId, String issuer, String subject) {
        return get(() -> jdbi.withHandle(h -> h.createUpdate("DELETE FROM user_identities WHERE user_id = :user"
                        + " AND issuer = :issuer AND subject = :subject")
                .bind("user", userId).bind("issuer", issuer).bind("subject", subject)
                .execute())) > 0;
    }

    private static <T> T get(Supplier<T> action) {
        return Jdbi3.call("user identities", action);
    }

    private static void run(Runnable action) {
        Jdbi3.run("user identities", action);
    }
}
