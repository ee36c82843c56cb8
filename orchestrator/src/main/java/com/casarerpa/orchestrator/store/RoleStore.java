package com.casarerpa.orchestrator.store;

import static com.casarerpa.orchestrator.store.Jdbi3.ts;

import com.casarerpa.orchestrator.domain.Permission;
import com.casarerpa.orchestrator.domain.RoleDefinition;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Custom roles: a row in {@code roles} ({@code built_in} false) and their permissions in
 * {@code role_permissions}. The built-in roles' rows only let bindings refer to them; their
 * permissions are {@link RoleDefinition}'s, never read from here. A permission stored that this
 * version no longer knows is skipped.
 */
public final class RoleStore {
    private final Jdbi jdbi;

    public RoleStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** The custom roles, by name. */
    public List<RoleDefinition> custom() {
        return get(() -> jdbi.withHandle(h -> h.createQuery("SELECT name, description FROM roles WHERE built_in = FALSE ORDER BY name")
                .map((rs, ctx) -> Map.entry(rs.getString("name"), rs.getString("description")))
                .list().stream()
                .map(e -> new RoleDefinition(e.getKey(), e.getValue(), false, permissions(h, e.getKey())))
                .toList()));
    }

    /** True when a role (built-in or custom) of this name exists. */
    public boolean exists(String name) {
        return get(() -> jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM roles WHERE name = :name")
                .bind("name", name).mapTo(Long.class).one() > 0));
    }

    public Optional<RoleDefinition> findCustom(String name) {
        return custom().stream().filter(r -> r.name().equals(name)).findFirst();
    }

    public void insert(RoleDefinition role, Instant at) {
        run(() -> jdbi.useHandle(h -> {
            h.createUpdate("INSERT INTO roles (name, description, built_in, created_at) VALUES (:name, :description, FALSE, :at)")
                    .bind("name", role.name()).bind("description", role.description()).bind("at", ts(at)).execute();
            insertPermissions(h, role);
        }));
    }

    /** Replaces a custom role's description and permissions. */
    public void update(RoleDefinition role) {
        run(() -> jdbi.useHandle(h -> {
            h.createUpdate("UPDATE roles SET description = :description WHERE name = :name AND built_in = FALSE")
                    .bind("name", role.name()).bind("description", role.description()).execute();
            h.createUpdate("DELETE FROM role_permissions WHERE role_name = :name").bind("name", role.name()).execute();
            insertPermissions(h, role);
        }));
    }

    /** Deletes a custom role (its permissions go with it); false when there is none of that name. */
    public boolean delete(String name) {
        return get(() -> jdbi.withHandle(h -> h.createUpdate("DELETE FROM roles WHERE name = :name AND built_in = FALSE")
                .bind("name", name).execute())) == 1;
    }

    private static void insertPermissions(Handle h, RoleDefinition role) {
        for (Permission p : role.permissions()) {
            h.createUpdate("INSERT INTO role_permissions (role_name, permission) VALUES (:name, :permission)")
                    .bind("name", role.name()).bind("permission", p.wireName()).execute();
        }
    }

    private static Set<Permission> permissions(Handle h, String role) {
        EnumSet<Permission> out = EnumSet.noneOf(Permission.class);
        h.createQuery("SELECT permission FROM role_permissions WHERE role_name = :name").bind("name", role).mapTo(String.class)
                .forEach(p -> Permission.fromWire(p).ifPresent(out::add));
        return out;
    }

    private static void run(Runnable action) {
        Jdbi3.run("roles", action);
    }

    private static <T> T get(Supplier<T> action) {
        return Jdbi3.call("roles", action);
    }
}
