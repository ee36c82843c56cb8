package com.casarerpa.orchestrator.store;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jdbi.v3.core.Jdbi;

/**
 * Who belongs to which group ({@code user_group_members}), and which groups an identity
 * provider's group names stand for ({@code user_groups.external_name}). A membership has a
 * source: {@code local} (an admin made it) or {@code oidc} (the groups claim of the user's last
 * single sign-on made it). Writes join the caller's transaction when one is under way.
 */
public final class GroupMemberships {
    public static final String LOCAL = "local";
    public static final String OIDC = "oidc";

    private final Jdbi jdbi;

    public GroupMemberships(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** The groups whose external name is one of {@code externalNames}: external name to group id. */
    public Map<String, String> groupsByExternalName(Collection<String> externalNames) {
        if (externalNames.isEmpty()) {
            return Map.of();
        }
        return get(() -> jdbi.withHandle(h -> h.createQuery("SELECT id, external_name FROM user_groups"
                        + " WHERE external_name IN (<names>)")
                .bindList("names", List.copyOf(externalNames))
                .reduceRows(new HashMap<String, String>(), (acc, row) -> {
                    acc.put(row.getColumn("external_name", String.class), row.getColumn("id", String.class));
                    return acc;
                })));
    }

    /** The groups of a user: group id to the membership's source. */
    public Map<String, String> membershipsOf(String userId) {
        return get(() -> jdbi.withHandle(h -> h.createQuery("SELECT group_id, source FROM user_group_members WHERE user_id = :user")
                .bind("user", userId)
                .reduceRows(new HashMap<String, String>(), (acc, row) -> {
                    acc.put(row.getColumn("group_id", String.class), row.getColumn("source", String.class));
                    return acc;
                })));
    }

    public void add(String groupId, String userId, String source) {
        Jdbi3.run("group memberships", () -> jdbi.useHandle(h -> h.createUpdate("INSERT INTO user_group_members (group_id, user_id,"
                        + " source) VALUES (:group, :user, :source)")
                .bind("group", groupId).bind("user", userId).bind("source", source)
                .execute()));
    }

    /** Removes a membership of the given source only (a local one survives a removal of source oidc). */
    public void remove(String groupId, String userId, String source) {
        Jdbi3.run("group memberships", () -> jdbi.useHandle(h -> h.createUpdate("DELETE FROM user_group_members"
                        + " WHERE group_id = :group AND user_id = :user AND source = :source")
                .bind("group", groupId).bind("user", userId).bind("source", source)
                .execute()));
    }

    private static <T> T get(Supplier<T> action) {
        return Jdbi3.call("group memberships", action);
    }
}
