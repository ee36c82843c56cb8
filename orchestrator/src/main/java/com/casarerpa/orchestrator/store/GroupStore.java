package com.casarerpa.orchestrator.store;

import static com.casarerpa.orchestrator.store.Jdbi3.instant;
import static com.casarerpa.orchestrator.store.Jdbi3.ts;

import com.casarerpa.orchestrator.domain.GroupMember;
import com.casarerpa.orchestrator.domain.UserGroup;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * Groups of users ({@code user_groups}) and who belongs to them ({@code user_group_members}).
 * Names and external names are unique: a second one is a {@link UniqueViolationException}.
 */
public final class GroupStore {
    private static final String SELECT = "SELECT g.id, g.name, g.description, g.external_name, g.created_at, g.created_by,"
            + " (SELECT COUNT(*) FROM user_group_members m WHERE m.group_id = g.id) AS members FROM user_groups g";

    private final Jdbi jdbi;

    public GroupStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public void insert(UserGroup g) {
        run(() -> jdbi.useHandle(h -> h.createUpdate("INSERT INTO user_groups (id, name, description, external_name, created_at,"
                        + " created_by) VALUES (:id, :name, :description, :external, :at, :by)")
                .bind("id", g.id()).bind("name", g.name()).bind("description", g.description())
                .bind("external", g.externalName().orElse(null)).bind("at", ts(g.createdAt())).bind("by", g.createdBy())
                .execute()));
    }

    public List<UserGroup> list() {
        return get(() -> jdbi.withHandle(h -> h.createQuery(SELECT + " ORDER BY g.name").map(GroupStore::map).list()));
    }

    public Optional<UserGroup> find(String id) {
        return get(() -> jdbi.withHandle(h -> h.createQuery(SELECT + " WHERE g.id = :id").bind("id", id).map(GroupStore::map).findOne()));
    }

    public Optional<UserGroup> findByName(String name) {
        return get(() -> jdbi.withHandle(h -> h.createQuery(SELECT + " WHERE g.name = :name")
                .bind("name", name).map(GroupStore::map).findOne()));
    }

    public void update(String id, String name, String description, Optional<String> externalName) {
        run(() -> jdbi.useHandle(h -> h.createUpdate("UPDATE user_groups SET name = :name, description = :description,"
                        + " external_name = :external WHERE id = :id")
                .bind("id", id).bind("name", name).bind("description", description).bind("external", externalName.orElse(null))
                .execute()));
    }

    /** Deletes the group and its memberships; false when it did not exist. */
    public boolean delete(String id) {
        return get(() -> jdbi.withHandle(h -> {
            h.createUpdate("DELETE FROM user_group_members WHERE group_id = :id").bind("id", id).execute();
            return h.createUpdate("DELETE FROM user_groups WHERE id = :id").bind("id", id).execute() == 1;
        }));
    }

    public List<GroupMember> members(String groupId) {
        return get(() -> jdbi.withHandle(h -> h.createQuery("SELECT u.id, u.username, u.status, m.source FROM user_group_members m"
                        + " JOIN users u ON u.id = m.user_id WHERE m.group_id = :id ORDER BY u.username")
                .bind("id", groupId)
                .map((rs, ctx) -> new GroupMember(rs.getString("id"), rs.getString("username"), rs.getString("status"), rs.getString("source")))
                .list()));
    }

    /** Makes the user a member; false when it was one already. */
    public boolean addMember(String groupId, String userId, String source) {
        return get(() -> jdbi.withHandle(h -> {
            boolean member = h.createQuery("SELECT COUNT(*) FROM user_group_members WHERE group_id = :group AND user_id = :user")
                    .bind("group", groupId).bind("user", userId).mapTo(Long.class).one() > 0;
            if (member) {
                return false;
            }
            h.createUpdate("INSERT INTO user_group_members (group_id, user_id, source) VALUES (:group, :user, :source)")
                    .bind("group", groupId).bind("user", userId).bind("source", source).execute();
            return true;
        }));
    }

    /** Removes the user from the group; false when it was no member. */
    public boolean removeMember(String groupId, String userId) {
        return get(() -> jdbi.withHandle(h -> h.createUpdate("DELETE FROM user_group_members WHERE group_id = :group AND user_id = :user")
                .bind("group", groupId).bind("user", userId).execute())) == 1;
    }

    private static UserGroup map(ResultSet rs, StatementContext ctx) throws SQLException {
        return new UserGroup(rs.getString("id"), rs.getString("name"), rs.getString("description"),
                Optional.ofNullable(rs.getString("external_name")), instant(rs.getObject("created_at")).orElseThrow(),
                rs.getString("created_by"), rs.getInt("members"));
    }

    private static void run(Runnable action) {
        Jdbi3.run("groups", action);
    }

    private static <T> T get(Supplier<T> action) {
        return Jdbi3.call("groups", action);
    }
}
