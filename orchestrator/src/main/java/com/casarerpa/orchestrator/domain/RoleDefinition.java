package com.casarerpa.orchestrator.domain;

import static com.casarerpa.orchestrator.domain.Permission.*;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A role: a named set of permissions. The built-in roles are defined here (their rows in the
 * {@code roles} table only let bindings refer to them); custom roles are stored.
 *
 * @param builtIn true for the roles below, which cannot be changed or deleted
 */
public record RoleDefinition(String name, String description, boolean builtIn, Set<Permission> permissions) {
    public static final String ADMIN = "admin";
    public static final String FOLDER_ADMIN = "folder_admin";
    public static final String DEVELOPER = "developer";
    public static final String OPERATOR = "operator";
    public static final String VIEWER = "viewer";
    public static final String ROBOT = "robot";

    public RoleDefinition {
        permissions = permissions.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(permissions));
    }

    private static final Set<Permission> READ = EnumSet.of(WORKFLOW_READ, JOB_READ, SCHEDULE_READ, WEBHOOK_READ, ROBOT_READ,
            FOLDER_READ, ORCHESTRATOR_READ);
    private static final Set<Permission> DEPLOY = union(READ, EnumSet.of(WORKFLOW_DEPLOY));
    private static final Set<Permission> OPERATE = union(READ, EnumSet.of(JOB_RUN, JOB_CANCEL, JOB_RETRY, SCHEDULE_CHANGE,
            WEBHOOK_CHANGE, ROBOT_MAINTAIN));

    private static final List<RoleDefinition> BUILT_IN = List.of(
            new RoleDefinition(ADMIN, "Everything, in the whole installation.", true, EnumSet.allOf(Permission.class)),
            new RoleDefinition(FOLDER_ADMIN, "Everything in its folder and below, bindings and the folder's audit trail included.",
                    true, union(union(DEPLOY, OPERATE), EnumSet.of(WORKFLOW_DELETE, FOLDER_MANAGE, AUDIT_READ))),
            new RoleDefinition(DEVELOPER, "Reads the folder and deploys workflows into it.", true, DEPLOY),
            new RoleDefinition(OPERATOR, "Reads the folder; runs, cancels and retries jobs; changes schedules and webhooks.",
                    true, OPERATE),
            new RoleDefinition(VIEWER, "Reads the folder; changes nothing.", true, READ),
            new RoleDefinition(ROBOT, "Speaks the robot protocol.", true, EnumSet.of(ROBOT_CONNECT)));

    /**
     * What a binding of this role in {@code folderId} grants: every permission at the root, the
     * folder-scoped ones elsewhere (installation permissions count only from the root).
     */
    public Set<Permission> permissionsIn(String folderId) {
        if (folderId.equals(Folder.ROOT_ID)) {
            return permissions;
        }
        EnumSet<Permission> scoped = EnumSet.noneOf(Permission.class);
        permissions.stream().filter(Permission::folderScoped).forEach(scoped::add);
        return scoped;
    }

    public static List<RoleDefinition> builtInRoles() {
        return BUILT_IN;
    }

    public static Optional<RoleDefinition> builtInRole(String name) {
        return BUILT_IN.stream().filter(r -> r.name().equals(name)).findFirst();
    }

    /**
     * The built-in roles an API key of the original four roles stands for: an {@code operator}
     * key deployed as well as ran, which is {@code developer} and {@code operator} now.
     */
    public static List<String> forKeyRole(Role role) {
        return switch (role) {
            case ADMIN -> List.of(ADMIN);
            case OPERATOR -> List.of(DEVELOPER, OPERATOR);
            case VIEWER -> List.of(VIEWER);
            case ROBOT -> List.of(ROBOT);
            case BINDINGS -> List.of();
        };
    }

    private static Set<Permission> union(Set<Permission> a, Set<Permission> b) {
        EnumSet<Permission> all = EnumSet.noneOf(Permission.class);
        all.addAll(a);
        all.addAll(b);
        return all;
    }
}
