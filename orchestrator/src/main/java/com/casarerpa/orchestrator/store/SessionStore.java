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
 * token; a dashboard session may belong to an API key instead of a user). Only SHA-256 hashes of the tokens are stored. Every read goes to the database, so a
 * revoked session or a disabled user is refused at once on every instance.
 */
public final class SessionStore {
    private final Jdbi jdbi;

    public SessionStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * A session that may be used now: not revoked, not expired, and its user active or its API key
     * neither revoked nor expired.
     *
     * @param userId   the person's; empty for a dashboard session opened with an API key
     * @param apiKeyId the key's, for a dashboard session opened with one; empty for a person's
     * @param name     the user's username, or the key's name
     */
    public record LiveSession(String id, Optional<String> userId, Optional<String> apiKeyId, String name, String kind,
            Optional<String> csrfHash, Instant expiresAt) {
        /** True when it is a session of this user. */
        public boolean ofUser(String id) {
            return userId.filter(id::equals).isPresent();
        }
    }

    /** Who a session belongs to: a user, or (dashboard sessions only) an API key. */
    public record Owner(Optional<String> userId, Optional<String> apiKeyId) {
        public static Owner user(String id) {
            return new Owner(Optional.of(id), Optional.empty());
        }

        public static Owner apiKey(String id) {
            return new Owner(Optional.empty(), Optional.of(id));
        }
    }

    /** A new session; {@code csrfHash} for a dashboard session only. */
    public void insert(String id, Owner owner, String kind, String tokenHash, Optional<String> csrfHash, Instant createdAt,
            Instant expiresAt, String clientAddress) {
        Jdbi3.run("sessions", () -> jdbi.useHandle(h -> h.createUpdate("INSERT INTO user_sessions (id, user_id, api_key_id, kind,"
                        + " refresh_hash, csrf_hash, created_at, expires_at, last_used_at, client_address) VALUES (:id, :user, :key,"
                        + " :kind, :hash, :csrf, :created, :expires, :created, :address)")
                .bind("id", id).bind("user", owner.userId().orElse(null)).bind("key", owner.apiKeyId().orElse(null))
                .bind("kind", kind).bind("hash", tokenHash)
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
        return get(() -> jdbi.withHandle(h -> h.createQuery("SELECT s.id, s.user_id, s.api_key_id, COALESCE(u.username, k.name) AS name,"
                        + " s.kind, s.csrf_hash, s.expires_at"
                        + " FROM user_sessions s LEFT JOIN users u ON u.id = s.user_id LEFT JOIN api_keys k ON k.id = s.api_key_id"
                        + " WHERE " + where + " AND s.revoked_at IS NULL AND s.expires_at > :now"
                        + " AND (u.status = 'active' OR (k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > :now)"
                        + " AND k.id IS NOT NULL))")
                .bind("key", key).bind("now", ts(now))
                .map((rs, ctx) -> new LiveSession(rs.getString("id"), Optional.ofNullable(rs.getString("user_id")),
                        Optional.ofNullable(rs.getString("api_key_id")), rs.getString("name"),
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
