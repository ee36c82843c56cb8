package com.casarerpa.orchestrator.store;

import static com.casarerpa.orchestrator.store.Jdbi3.instant;
import static com.casarerpa.orchestrator.store.Jdbi3.ts;

import com.casarerpa.orchestrator.domain.ApiKey;
import com.casarerpa.orchestrator.domain.Role;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * API keys in the {@code api_keys} table. Looks keys up by the SHA-256 of their text; never sees
 * the key itself. Every read goes to the database (the lookups of requests may be cached before
 * it: {@link KeyCache}).
 *
 * <p>The <em>key generation</em> (row {@value #GENERATION} of {@code orchestrator_meta}) counts the
 * changes that end or change a key: every such statement raises it in its own transaction (today
 * only {@link #revoke}; a future disable, expiry change or delete must do the same). A cached key
 * carries the generation it was read with ({@link Stamped}), and is good only while no higher one
 * is known ({@link KeyCache}).
 */
public final class ApiKeyStore {
    private static final String COLUMNS =
            "id, name, role, key_prefix, robot_id, created_at, created_by, expires_at, last_used_at, revoked_at, owner_kind, owner_id";

    private static final String PREFIXED_COLUMNS = "k." + COLUMNS.replace(", ", ", k.");

    /** The {@code orchestrator_meta} key of the key generation. */
    public static final String GENERATION = "api_key_generation";
    private static final String GENERATION_VALUE =
            "(SELECT meta_value FROM orchestrator_meta WHERE meta_key = '" + GENERATION + "')";

    private final Jdbi jdbi;

    /** A key as read, with the key generation of the same statement (0 before the first change). */
    public record Stamped(ApiKey key, long generation) {}

    public ApiKeyStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public void insert(ApiKey key, String keyHash) {
        run(() -> jdbi.useHandle(h -> h.createUpdate("INSERT INTO api_keys (id, name, role, key_hash, key_prefix, robot_id,"
                        + " created_at, created_by, expires_at, owner_kind, owner_id) VALUES (:id, :name, :role, :hash, :prefix,"
                        + " :robot, :created, :by, :expires, :ownerKind, :ownerId)")
                .bind("id", key.id())
                .bind("name", key.name())
                .bind("role", key.role().wireName())
                .bind("hash", keyHash)
                .bind("prefix", key.prefix())
                .bind("robot", key.robotId().orElse(null))
                .bind("created", ts(key.createdAt()))
                .bind("by", key.createdBy())
                .bind("expires", ts(key.expiresAt().orElse(null)))
                .bind("ownerKind", key.owner().kind())
                .bind("ownerId", key.owner().id().orElse(null))
                .execute()));
    }

    /** The folders a robot key names: robots that register with it join them (in the caller's transaction). */
    public void insertFolders(String keyId, List<String> folderIds) {
        if (folderIds.isEmpty()) {
            return;
        }
        run(() -> jdbi.useHandle(h -> {
            var batch = h.prepareBatch("INSERT INTO api_key_folders (key_id, folder_id) VALUES (:key, :folder)");
            folderIds.forEach(f -> batch.bind("key", keyId).bind("folder", f).add());
            batch.execute();
        }));
    }

    public Optional<ApiKey> findByHash(String keyHash) {
        return get(() -> jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM api_keys WHERE key_hash = :hash")
                .bind("hash", keyHash)
                .map(ApiKeyStore::map)
                .findOne()));
    }

    /** As {@link #findByHash}, with the key generation read by the same statement. */
    public Optional<Stamped> findStampedByHash(String keyHash) {
        return findStamped("key_hash", keyHash);
    }

    /** A key as read, with the roles its service account holds (none for a key of another owner). */
    public record WithRoles(Stamped stamped, List<AccessStore.HeldRole> roles) {}

    /**
     * As {@link #findStampedByHash}, with the roles bound to the key's service account read by the
     * same statement: a request with a service account's key learns who it is and what it may do
     * in one round trip. Fresh from the database, so a revocation or a changed binding counts at once.
     */
    public Optional<WithRoles> findWithRolesByHash(String keyHash) {
        return get(() -> jdbi.withHandle(h -> {
            Stamped[] key = new Stamped[1];
            List<AccessStore.HeldRole> roles = new java.util.ArrayList<>();
            h.createQuery("SELECT " + PREFIXED_COLUMNS + ", " + GENERATION_VALUE + " AS key_generation, b.role_name AS bound_role,"
                            + " b.folder_id AS bound_folder FROM api_keys k LEFT JOIN role_bindings b ON k.owner_kind = '"
                            + ApiKey.Owner.SERVICE_ACCOUNT + "' AND b.principal_kind = '" + ApiKey.Owner.SERVICE_ACCOUNT
                            + "' AND b.principal_id = k.owner_id WHERE k.key_hash = :hash")
                    .bind("hash", keyHash)
                    .map((rs, ctx) -> {
                        if (key[0] == null) {
                            key[0] = new Stamped(map(rs, ctx), generationOf(rs.getString("key_generation")));
                        }
                        if (rs.getString("bound_role") != null) {
                            roles.add(new AccessStore.HeldRole(rs.getString("bound_role"), rs.getString("bound_folder")));
                        }
                        return key[0];
                    })
                    .list();
            return Optional.ofNullable(key[0]).map(k -> new WithRoles(k, List.copyOf(roles)));
        }));
    }

    /** As {@link #findById}, with the key generation read by the same statement. */
    public Optional<Stamped> findStampedById(String id) {
        return findStamped("id", id);
    }

    private Optional<Stamped> findStamped(String column, String value) {
        return get(() -> jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + ", " + GENERATION_VALUE
                        + " AS key_generation FROM api_keys WHERE " + column + " = :value")
                .bind("value", value)
                .map((rs, ctx) -> new Stamped(map(rs, ctx), generationOf(rs.getString("key_generation"))))
                .findOne()));
    }

    /** The key generation now: 0 before the first change. */
    public long generation() {
        return generationOf(get(() -> jdbi.withHandle(h -> h.createQuery("SELECT " + GENERATION_VALUE)
                .mapTo(String.class).findOne().orElse(null))));
    }

    /**
     * Makes sure the key generation has its row, so that {@link #revoke} only updates it: at the
     * server's start, outside any transaction (two instances starting at once: one insert wins).
     */
    public void prepareGeneration() {
        try {
            run(() -> jdbi.useHandle(h -> h.createUpdate("INSERT INTO orchestrator_meta (meta_key, meta_value) SELECT :key, '0'"
                            + " WHERE NOT EXISTS (SELECT 1 FROM orchestrator_meta WHERE meta_key = :key)")
                    .bind("key", GENERATION)
                    .execute()));
        } catch (UniqueViolationException e) {
            // another instance inserted it first
        }
    }

    private static long generationOf(String value) {
        return value == null ? 0 : Long.parseLong(value.strip());
    }

    public Optional<ApiKey> findById(String id) {
        return get(() -> jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM api_keys WHERE id = :id")
                .bind("id", id)
                .map(ApiKeyStore::map)
                .findOne()));
    }

    /** All keys, oldest first; revoked ones only when asked. */
    public List<ApiKey> list(boolean includeRevoked) {
        return get(() -> jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM api_keys"
                        + (includeRevoked ? "" : " WHERE revoked_at IS NULL") + " ORDER BY created_at, id")
                .map(ApiKeyStore::map)
                .list()));
    }

    /** The keys of one owner ({@link ApiKey.Owner}), oldest first; revoked ones only when asked. */
    public List<ApiKey> ofOwner(String ownerKind, String ownerId, boolean includeRevoked) {
        return get(() -> jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM api_keys WHERE owner_kind = :kind"
                        + " AND owner_id = :owner" + (includeRevoked ? "" : " AND revoked_at IS NULL") + " ORDER BY created_at, id")
                .bind("kind", ownerKind)
                .bind("owner", ownerId)
                .map(ApiKeyStore::map)
                .list()));
    }

    public boolean isEmpty() {
        return get(() -> jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM api_keys").mapTo(Long.class).one())) == 0;
    }

    /**
     * Marks a key revoked and raises the key generation, in one transaction (the caller's, when
     * it runs in one).
     *
     * @return the new key generation; empty when the key does not exist or was revoked already
     */
    public OptionalLong revoke(String id, Instant at, String by) {
        return get(() -> jdbi.inTransaction(h -> {
            int revoked = h.createUpdate("UPDATE api_keys SET revoked_at = :at, revoked_by = :by WHERE id = :id AND revoked_at IS NULL")
                    .bind("at", ts(at))
                    .bind("by", by)
                    .bind("id", id)
                    .execute();
            return revoked == 1 ? OptionalLong.of(raiseGeneration(h)) : OptionalLong.empty();
        }));
    }

    private static long raiseGeneration(Handle h) {
        int raised = h.createUpdate("UPDATE orchestrator_meta SET meta_value = CAST(CAST(meta_value AS BIGINT) + 1 AS VARCHAR(4000)),"
                        + " updated_at = CURRENT_TIMESTAMP WHERE meta_key = :key")
                .bind("key", GENERATION)
                .execute();
        if (raised == 0) {
            // No server has started on this database yet (prepareGeneration): the first change.
            h.createUpdate("INSERT INTO orchestrator_meta (meta_key, meta_value) VALUES (:key, '1')").bind("key", GENERATION).execute();
        }
        return generationOf(h.createQuery("SELECT " + GENERATION_VALUE).mapTo(String.class).one());
    }

    /**
     * Records a use. Writes at most once a minute per key (the condition is in the statement), so
     * a busy key does not turn every request into a write.
     */
    public void touch(String id, Instant at) {
        run(() -> jdbi.useHandle(h -> h.createUpdate("UPDATE api_keys SET last_used_at = :at WHERE id = :id"
                        + " AND (last_used_at IS NULL OR last_used_at < :stale)")
                .bind("at", ts(at))
                .bind("stale", ts(staleBefore(at)))
                .bind("id", id)
                .execute()));
    }

    /** A use is recorded again only when the last one recorded is before this. */
    public static Instant staleBefore(Instant at) {
        return at.minus(1, ChronoUnit.MINUTES);
    }

    private static ApiKey map(ResultSet rs, StatementContext ctx) throws SQLException {
        return new ApiKey(
                rs.getString("id"),
                rs.getString("name"),
                Role.fromWire(rs.getString("role")).orElseThrow(),
                rs.getString("key_prefix"),
                Optional.ofNullable(rs.getString("robot_id")),
                instant(rs.getObject("created_at")).orElseThrow(),
                rs.getString("created_by"),
                instant(rs.getObject("expires_at")),
                instant(rs.getObject("last_used_at")),
                instant(rs.getObject("revoked_at")),
                new ApiKey.Owner(rs.getString("owner_kind"), Optional.ofNullable(rs.getString("owner_id"))));
    }

    private static void run(Runnable action) {
        Jdbi3.run("api keys", action);
    }

    private static <T> T get(java.util.function.Supplier<T> action) {
        return Jdbi3.call("api keys", action);
    }
}
