package com.casarerpa.orchestrator.store;

import static com.casarerpa.orchestrator.store.Jdbi3.instant;

import com.casarerpa.orchestrator.domain.Folder;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.jdbi.v3.core.Jdbi;

/**
 * What access decisions read: the bindings of a principal (a user's through its groups too),
 * the folder tree, and the permissions of custom roles. Every call reads the database, so a
 * binding removed or a user disabled counts at once on every instance.
 */
public final class AccessStore {
    private final Jdbi jdbi;

    public AccessStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** One binding as access decisions need it: a role in a folder. */
    public record HeldRole(String roleName, String folderId) {}

    /**
     * The roles {@code kind}/{@code id} holds, directly and, for a user, through its groups.
     *
     * @param kind {@code user}, {@code service_account} or {@code api_key}
     */
    public List<HeldRole> rolesOf(String kind, String id) {
        String groups = kind.equals("user")
                ? " OR (principal_kind = 'group' AND principal_id IN (SELECT group_id FROM user_group_members WHERE user_id = :id))"
                : "";
        return get(() -> jdbi.withHandle(h -> h.createQuery("SELECT role_name, folder_id FROM role_bindings"
                        + " WHERE (principal_kind = :kind AND principal_id = :id)" + groups)
                .bind("kind", kind)
                .bind("id", id)
                .map((rs, ctx) -> new HeldRole(rs.getString("role_name"), rs.getString("folder_id")))
                .list()));
    }

    /** Every folder (the tree is small: read whole). */
    public List<Folder> folders() {
        return get(() -> jdbi.withHandle(AccessStore::folders));
    }

    /** Every folder, read on {@code h} (in the caller's transaction). */
    static List<Folder> folders(org.jdbi.v3.core.Handle h) {
        return h.createQuery("SELECT id, name, parent_id, description, created_at, created_by FROM folders")
                .map((rs, ctx) -> new Folder(rs.getString("id"), rs.getString("name"), Optional.ofNullable(rs.getString("parent_id")),
                        rs.getString("description"), instant(rs.getObject("created_at")).orElseThrow(), rs.getString("created_by")))
                .list();
    }

    /** The stored permissions of the named (custom) roles, by role. */
    public Map<String, Set<String>> permissionsOf(Set<String> roleNames) {
        if (roleNames.isEmpty()) {
            return Map.of();
        }
        return get(() -> jdbi.withHandle(h -> h.createQuery(
                        "SELECT role_name, permission FROM role_permissions WHERE role_name IN (<roles>)")
                .bindList("roles", List.copyOf(roleNames))
                .reduceRows(new java.util.HashMap<String, Set<String>>(), (acc, row) -> {
                    acc.computeIfAbsent(row.getColumn("role_name", String.class), r -> new java.util.HashSet<>())
                            .add(row.getColumn("permission", String.class));
                    return acc;
                })));
    }

    /** A new service account (in the caller's transaction, if one is under way). */
    public void insertServiceAccount(String id, String name, String description, java.time.Instant at, String by) {
        Jdbi3.run("access", () -> jdbi.useHandle(h -> h.createUpdate("INSERT INTO service_accounts (id, name, description,"
                        + " created_at, created_by) VALUES (:id, :name, :description, :at, :by)")
                .bind("id", id).bind("name", name).bind("description", description)
                .bind("at", Jdbi3.ts(at)).bind("by", by)
                .execute()));
    }

    /** A new binding of a principal to a role in a folder. */
    public void insertBinding(String id, String principalKind, String principalId, String roleName, String folderId,
            java.time.Instant at, String by) {
        Jdbi3.run("access", () -> jdbi.useHandle(h -> h.createUpdate("INSERT INTO role_bindings (id, principal_kind, principal_id,"
                        + " role_name, folder_id, created_at, created_by) VALUES (:id, :kind, :principal, :role, :folder, :at, :by)")
                .bind("id", id).bind("kind", principalKind).bind("principal", principalId).bind("role", roleName)
                .bind("folder", folderId).bind("at", Jdbi3.ts(at)).bind("by", by)
                .execute()));
    }

    private static <T> T get(Supplier<T> action) {
        return Jdbi3.call("access", action);
    }
}
