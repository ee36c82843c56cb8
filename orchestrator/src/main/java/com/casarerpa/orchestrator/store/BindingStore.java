package com.casarerpa.orchestrator.store;

import static com.casarerpa.orchestrator.store.Jdbi3.instant;

import com.casarerpa.orchestrator.domain.Binding;
import com.casarerpa.orchestrator.domain.Folder;
import com.casarerpa.orchestrator.domain.Principal;
import com.casarerpa.orchestrator.domain.RoleDefinition;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * The {@code role_bindings} table as the administration reads it: with the principal's name, by
 * folder, by principal, by role. New bindings are written by {@link AccessStore#insertBinding}.
 */
public final class BindingStore {
    private static final String SELECT = "SELECT b.id, b.principal_kind, b.principal_id, b.role_name, b.folder_id, b.created_at,"
            + " b.created_by, COALESCE(u.username, g.name, s.name, k.name) AS principal_name FROM role_bindings b"
            + " LEFT JOIN users u ON b.principal_kind = 'user' AND u.id = b.principal_id"
            + " LEFT JOIN user_groups g ON b.principal_kind = 'group' AND g.id = b.principal_id"
            + " LEFT JOIN service_accounts s ON b.principal_kind = 'service_account' AND s.id = b.principal_id"
            + " LEFT JOIN api_keys k ON b.principal_kind = 'api_key' AND k.id = b.principal_id";

    /**
     * An admin binding that can still act: the admin role at the root, held by an active user, a
     * group with an active member, or a service account that is not disabled.
     */
    private static final String LIVE_ADMIN = "SELECT COUNT(*) FROM role_bindings b WHERE b.role_name = '" + RoleDefinition.ADMIN
            + "' AND b.folder_id = '" + Folder.ROOT_ID + "' AND ("
            + "(b.principal_kind = 'user' AND EXISTS (SELECT 1 FROM users u WHERE u.id = b.principal_id AND u.status = 'active'))"
            + " OR (b.principal_kind = 'group' AND EXISTS (SELECT 1 FROM user_group_members m JOIN users u ON u.id = m.user_id"
            + " WHERE m.group_id = b.principal_id AND u.status = 'active'))"
            + " OR (b.principal_kind = 'service_account' AND EXISTS (SELECT 1 FROM service_accounts s"
            + " WHERE s.id = b.principal_id AND s.disabled_at IS NULL)))";

    private final Jdbi jdbi;
    private final AccessStore writes;

    public BindingStore(Jdbi jdbi) {
        this.jdbi = jdbi;
        this.writes = new AccessStore(jdbi);
    }

    /** A new binding (in the caller's transaction, if one is under way); the same binding twice is a {@link UniqueViolationException}. */
    public void insert(Binding b) {
        writes.insertBinding(b.id(), b.principal().kind(), b.principal().id(), b.roleName(), b.folderId(), b.createdAt(),
                b.createdBy());
    }

    /** The bindings of users, groups and service accounts in these folders (a personal token's are its own business). */
    public List<Binding> inFolders(Collection<String> folderIds) {
        if (folderIds.isEmpty()) {
            return List.of();
        }
        return get(() -> jdbi.withHandle(h -> h.createQuery(SELECT + " WHERE b.folder_id IN (<folders>)"
                        + " AND b.principal_kind <> 'api_key' ORDER BY b.created_at, b.id")
                .bindList("folders", List.copyOf(folderIds))
                .map(BindingStore::map)
                .list()));
    }

    public List<Binding> of(Principal principal) {
        return get(() -> jdbi.withHandle(h -> h.createQuery(SELECT + " WHERE b.principal_kind = :kind AND b.principal_id = :id"
                        + " ORDER BY b.created_at, b.id")
                .bind("kind", principal.kind()).bind("id", principal.id())
                .map(BindingStore::map)
                .list()));
    }

    public Optional<Binding> find(String id) {
        return get(() -> jdbi.withHandle(h -> h.createQuery(SELECT + " WHERE b.id = :id")
                .bind("id", id)
                .map(BindingStore::map)
                .findOne()));
    }

    /** The binding of this principal to this role in this folder, if there is one. */
    public Optional<Binding> find(Principal principal, String roleName, String folderId) {
        return get(() -> jdbi.withHandle(h -> h.createQuery(SELECT + " WHERE b.principal_kind = :kind AND b.principal_id = :id"
                        + " AND b.role_name = :role AND b.folder_id = :folder")
                .bind("kind", principal.kind()).bind("id", principal.id()).bind("role", roleName).bind("folder", folderId)
                .map(BindingStore::map)
                .findOne()));
    }

    public boolean delete(String id) {
        return get(() -> jdbi.withHandle(h -> h.createUpdate("DELETE FROM role_bindings WHERE id = :id").bind("id", id).execute())) == 1;
    }

    /** Removes every binding of a principal (a group deleted); how many there were. */
    public int deleteOf(Principal principal) {
        return get(() -> jdbi.withHandle(h -> h.createUpdate("DELETE FROM role_bindings WHERE principal_kind = :kind AND principal_id = :id")
                .bind("kind", principal.kind()).bind("id", principal.id())
                .execute()));
    }

    /** How many bindings name the role. */
    public long countOf(String roleName) {
        return get(() -> jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM role_bindings WHERE role_name = :role")
                .bind("role", roleName).mapTo(Long.class).one()));
    }

    /** How many admin bindings can still act (see {@link #LIVE_ADMIN}); an installation needs one once it has had one. */
    public long liveAdmins() {
        return get(() -> jdbi.withHandle(h -> h.createQuery(LIVE_ADMIN).mapTo(Long.class).one()));
    }

    /**
     * Locks the one row of {@code admin_changes} until the caller's transaction ends, so changes
     * that may take admin away count the admins one after the other: at READ COMMITTED two of
     * them would otherwise each see the other's admin as still there, and both commit. The next
     * statement after the wait sees what the change before committed (on PostgreSQL each
     * statement takes a new snapshot; H2 reads the latest committed rows).
     *
     * @throws IllegalStateException outside a transaction, where the lock would end at once
     */
    public void lockAdminChanges() {
        Jdbi3.run("bindings", () -> jdbi.useHandle(h -> {
            if (!h.isInTransaction()) {
                throw new IllegalStateException("lock admin_changes inside the transaction of the change it guards");
            }
            h.createQuery("SELECT id FROM admin_changes WHERE id = 1 FOR UPDATE").mapTo(Integer.class).one();
        }));
    }

    private static Binding map(ResultSet rs, StatementContext ctx) throws SQLException {
        return new Binding(rs.getString("id"), new Principal(rs.getString("principal_kind"), rs.getString("principal_id")),
                Optional.ofNullable(rs.getString("principal_name")).orElse(""), rs.getString("role_name"), rs.getString("folder_id"),
                instant(rs.getObject("created_at")).orElseThrow(), rs.getString("created_by"));
    }

    private static <T> T get(Supplier<T> action) {
        return Jdbi3.call("bindings", action);
    }
}
