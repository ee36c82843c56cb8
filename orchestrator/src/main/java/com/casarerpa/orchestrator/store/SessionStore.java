package com.casarerpa.orchestrator.store;

import static com.casarerpa.orchestrator.store.Jdbi3.instant;
import static com.casarerpa.orchestrator.store.Jdbi3.ts;

import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;
import org.jdbi.v3.core.Jdbi;

/**
 * Signed-in sessions in {@code user_sessions}: one row per sign-in, of kind {@code api} (its
 * token is the refresh token) or {@code dashboard} (its token is the session cookie, with a CSRF
 * token). Only SHA-256 hashes of the tokens are stored. Every read goes to the database, so a
 * revoked session or a disabled user is refused at once on every instance.
 */
public final class SessionStore {
    private final Jdbi jdbi;

    public SessionStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** A session that may be used now: not revoked, not expired, its user active. */
    public record LiveSession(String id, String userId, String username, String kind, Optional<String> csrfHash,
            Instant expiresAt) {}

    /** A new session; {@code csrfHash} for a dashboard session only. */
    public void insert(String id, String userId, String kind, String tokenHash, Optional<String> csrfHash, Instant createdAt,
            Instant expiresAt, String clientAddress) {
        Jdbi3.run("sessions", () -> jdbi.useHandle(h -> h.createUpdate("INSERT INTO user_sessions (id, user_id, kind, refresh_hash,"
                        + " csrf_hash, created_at, expires_at, last_used_at, client_address) VALUES (:id, :user, :kind, :hash, :csrf,"
                        + " :created, :expires, :created, :address)")
                .bind("id", id).bind("user", userId).bind("kind", kind).bind("hash", tokenHash)
                .bind("csrf", csrfHash.orElse(null)).bind("created", ts(createdAt)).bind("expires", ts(expiresAt))
                .bind("address", clientAddress)
                .execute()));
    }

    /** The live session whose token has this hash. */
    public Optional<LiveSession> liveByTokenHash(String tokenHash, Instant now) {
        return live("s.refresh_hash = :key", tokenHash, now);
    }

    /** The live session of this id (an access token names it): one query for session and user. */
    public Optional<LiveSession> liveById(String id, Instant now) {
        return live("s.id = :key", id, now);
    }

    private Optional<LiveSession> live(String where, String key, Instant now) {
        return get(() -> jdbi.withHandle(h -> h.createQuery("SELECT s.id, s.user_id, u.username, s.kind, s.csrf_hash, s.expires_at"
                        + " FROM user_sessions s JOIN users u ON u.id = s.user_id"
                        + " WHERE " + where + " AND s.revoked_at IS NULL AND s.expires_at > :now AND u.status = 'active'")
                .bind("key", key).bind("now", ts(now))
                .map((rs, ctx) -> new LiveSession(rs.getString("id"), rs.getString("user_id"), rs.getString("username"),
                        rs.getString("kind"), Optional.ofNullable(rs.getString("csrf_hash")),
                        instant(rs.getObject("expires_at")).orElseThrow()))
                .findOne()));
    }

    /**
     * Replaces a session's token hash, only if it still is {@code oldHash} and the session is not
     * revoked (compare-and-set: of two refreshes with one token, one wins).
     */
    public boolean rotate(String id, String oldHash, String newHash, Instant at) {
        return get(() -> jdbi.withHandle(h -> h.createUpdate("UPDATE user_sessions SET refresh_hash = :new, last_used_at = :at"
                        + " WHERE id = :id AND refresh_hash = :old AND revoked_at IS NULL")
                .bind("new", newHash).bind("at", ts(at)).bind("id", id).bind("old", oldHash)
                .execute())) == 1;
    }

    /** Ends one session; false when it was ended already (or never was). */
    public boolean revoke(String id, Instant at) {
        return get(() -> jdbi.withHandle(h -> h.createUpdate("UPDATE user_sessions SET revoked_at = :at"
                        + " WHERE id = :id AND revoked_at IS NULL")
                .bind("at", ts(at)).bind("id", id).execute())) == 1;
    }

    /** Ends every session of a user; how many were live. */
    public int revokeAllOf(String userId, Instant at) {
        return get(() -> jdbi.withHandle(h -> h.createUpdate("UPDATE user_sessions SET revoked_at = :at"
                        + " WHERE user_id = :user AND revoked_at IS NULL")
                .bind("at", ts(at)).bind("user", userId).execute()));
    }

    /**
     * Deletes up to {@code limit} sessions that expired or were revoked before {@code before}
     * (no longer any use to anyone); how many it deleted. Call it again while it returns {@code limit}.
     */
    public int deleteEndedBefore(Instant before, int limit) {
        return get(() -> jdbi.withHandle(h -> BoundedDelete.run(h, "user_sessions", "id",
                "expires_at < :before OR revoked_at < :before", ts(before), limit)));
    }

    private static <T> T get(Supplier<T> action) {
        return Jdbi3.call("sessions", action);
    }
}
