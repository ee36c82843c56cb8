package com.casarerpa.orchestrator.service;

import com.casarerpa.orchestrator.domain.Actor;
import com.casarerpa.orchestrator.domain.AuditTrail;
import com.casarerpa.orchestrator.domain.GroupMember;
import com.casarerpa.orchestrator.domain.Principal;
import com.casarerpa.orchestrator.domain.User;
import com.casarerpa.orchestrator.domain.UserGroup;
import com.casarerpa.orchestrator.domain.WorkflowIds;
import com.casarerpa.orchestrator.store.GroupStore;
import com.casarerpa.orchestrator.store.UniqueViolationException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Groups of users: a binding to a group counts for each member. Adding a member hands on the
 * group's roles, so it needs what granting them needs ({@link Escalation}); removing a member or
 * the group never leaves the installation without an admin ({@link AdminGuard}).
 */
public final class Groups {
    private static final int MAX_NAME = 100;
    private static final int MAX_EXTERNAL_NAME = 200;
    private static final int MAX_DESCRIPTION = 1000;

    private final GroupStore store;
    private final Principals principals;
    private final Bindings bindings;
    private final AuditTrail audit;
    private final Clock clock;

    Groups(GroupStore store, Principals principals, Bindings bindings, AuditTrail audit, Clock clock) {
        this.store = store;
        this.principals = principals;
        this.bindings = bindings;
        this.audit = audit;
        this.clock = clock;
    }

    /** A group with its members. */
    public record Detail(UserGroup group, List<GroupMember> members) {}

    /**
     * What a change sets; absent fields stay. An empty {@code externalName} unmaps the group
     * from the identity provider's groups.
     */
    public record Change(Optional<String> name, Optional<String> description, Optional<String> externalName) {}

    public List<UserGroup> list() {
        return store.list();
    }

    /** The group of an id or name. */
    public Detail get(String ref) {
        UserGroup g = group(ref);
        return new Detail(g, store.members(g.id()));
    }

    public Detail create(String name, String description, Optional<String> externalName, Actor by) {
        UserGroup g = new UserGroup(WorkflowIds.random("grp_"), TextFields.required(name, "name", MAX_NAME), TextFields.optional(description, "description", MAX_DESCRIPTION),
                externalName.map(e -> TextFields.optional(e, "external_name", MAX_EXTERNAL_NAME)).filter(e -> !e.isEmpty()), clock.instant(),
                by.describe(), 0);
        audit.atomically(() -> {
            try {
                store.insert(g);
            } catch (UniqueViolationException e) {
                throw taken(g);
            }
            audit.record(by, "group.create", "group", g.id(), Map.of("name", g.name()));
        });
        return get(g.id());
    }

    public Detail update(String ref, Change change, Actor by) {
        UserGroup g = group(ref);
        UserGroup changed = new UserGroup(g.id(), change.name().map(n -> TextFields.required(n, "name", MAX_NAME)).orElse(g.name()),
                change.description().map(d -> TextFields.optional(d, "description", MAX_DESCRIPTION)).orElse(g.description()),
                change.externalName().isPresent()
                        ? change.externalName().map(e -> TextFields.optional(e, "external_name", MAX_EXTERNAL_NAME)).filter(e -> !e.isEmpty())
                        : g.externalName(),
                g.createdAt(), g.createdBy(), g.members());
        audit.atomically(() -> {
            try {
                store.update(g.id(), changed.name(), changed.description(), changed.externalName());
            } catch (UniqueViolationException e) {
                throw taken(changed);
            }
            audit.record(by, "group.update", "group", g.id(), Map.of("name", changed.name(), "previous_name", g.name()));
        });
        return get(g.id());
    }

    /** Deletes the group with its memberships and bindings. */
    public void delete(String ref, Actor by) {
        UserGroup g = group(ref);
        bindings.guarded("Deleting group " + g.name(), () -> {
            int removed = bindings.removeAll(principal(g));
            store.delete(g.id());
            audit.record(by, "group.delete", "group", g.id(), Map.of("name", g.name(), "bindings_removed", removed));
        });
    }

    /** Makes a user (id or username) a member; a member already is left as it is. */
    public Detail addMember(String ref, String userRef, Actor by) {
        UserGroup g = group(ref);
        User user = user(userRef);
        bindings.requireMayHandOn(principal(g), by);
        audit.atomically(() -> {
            if (store.addMember(g.id(), user.id(), "local")) {
                audit.record(by, "group.member_add", "group", g.id(), Map.of("user_id", user.id(), "username", user.username()));
            }
        });
        return get(g.id());
    }

    /** Takes a user out of the group; one that is no member is left as it is. */
    public Detail removeMember(String ref, String userRef, Actor by) {
        UserGroup g = group(ref);
        User user = user(userRef);
        bindings.requireMayHandOn(principal(g), by);
        bindings.guarded("Taking " + user.username() + " out of group " + g.name(), () -> {
            if (store.removeMember(g.id(), user.id())) {
                audit.record(by, "group.member_remove", "group", g.id(), Map.of("user_id", user.id(), "username", user.username()));
            }
        });
        return get(g.id());
    }

    private UserGroup group(String ref) {
        return principals.group(ref).orElseThrow(() -> new NotFoundException("Group " + ref + " does not exist."));
    }

    private User user(String ref) {
        return principals.user(ref).orElseThrow(() -> new NotFoundException("User " + ref + " does not exist."));
    }

    private static Principal principal(UserGroup g) {
        return new Principal(Principal.GROUP, g.id());
    }

    private static ConflictException taken(UserGroup g) {
        return new ConflictException("a group named " + g.name() + g.externalName().map(e -> " or mapped to " + e).orElse("")
                + " exists already", Map.of("field", "name"));
    }
}
