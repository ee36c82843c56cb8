package com.casarerpa.orchestrator.store;

import static com.casarerpa.orchestrator.store.Jdbi3.ts;

import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * One-time set-password tokens in {@code password_resets}, by the SHA-256 of the token (never the
 * token). A token is used at most once: {@link #consume} marks it in the statement that finds it.
 */
public final class PasswordResetStore {
    private final Jdbi jdbi;

    public PasswordResetStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** A new token for a user; any earlier unused one of that user stops working. */
    public void insert(String tokenHash, String userId, Instant createdAt, Instant expiresAt, String createdBy) {
        Jdbi3.run("password tokens", () -> jdbi.useHandle(h -> {
            h.createUpdate("UPDATE password_resets SET used_at = :at WHERE user_id = :user AND used_at IS NULL")
                    .bind("at", ts(createdAt)).bind("user", userId).execute();
            h.createUpdate("INSERT INTO password_resets (token_hash, user_id, created_at, expires_at, created_by)"
                            + " VALUES (:hash, :user, :created, :expires, :by)")
                    .bind("hash", tokenHash).bind("user", userId).bind("created", ts(createdAt))
                    .bind("expires", ts(expiresAt)).bind("by", createdBy)
                    .execute();
        }));
    }

    /**
     * Uses the token: the user it was made for, when it exists, is unused and has not expired;
     * from then on it is used. Call it in the transaction that sets the password.
     */
    public Optional<String> consume(String tokenHash, Instant now) {
        return Jdbi3.call("password tokens", () -> jdbi.withHandle(h -> {
            int used = h.createUpdate("UPDATE password_resets SET used_at = :now"
                            + " WHERE token_hash = :hash AND used_at IS NULL AND expires_at > :now")
                    .bind("now", ts(now)).bind("hash", tokenHash).execute();
            if (used == 0) {
                return Optional.<String>empty();
            }
            return h.createQuery("SELECT user_id FROM password_resets WHERE token_hash = :hash")
                    .bind("hash", tokenHash).mapTo(String.class).findOne();
        }));
    }

    /**
     * Deletes up to {@code limit} tokens that were used (or replaced by a newer one) or expired
     * before {@code before}; how many it deleted. Call it again while it returns {@code limit}.
     */
    public int deleteSpentBefore(Instant before, int limit) {
        return Jdbi3.call("password tokens", () -> jdbi.withHandle(h -> BoundedDelete.run(h, "password_resets", "token_hash",
                "used_at < :before OR expires_at < :before", ts(before), limit)));
    }
}
