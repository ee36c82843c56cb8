package com.casarerpa.orchestrator.service;

import com.casarerpa.orchestrator.domain.Actor;
import com.casarerpa.orchestrator.domain.Folder;
import com.casarerpa.orchestrator.domain.Permission;
import com.casarerpa.orchestrator.domain.RoleDefinition;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * No one gives away more than it holds: a role is granted (or taken back, or handed on through
 * a group's membership) in a folder only by a caller that holds every permission of the role
 * there. The admin role is granted by an administrator only, and only at the root.
 */
final class Escalation {
    private Escalation() {}

    /**
     * @param field the request field naming the role, for the admin-at-the-root rule
     * @param path  the folder's path, for messages
     */
    static void requireMayGrant(Actor actor, RoleDefinition role, String folderId, String path, String field) {
        if (role.name().equals(RoleDefinition.ADMIN)) {
            if (!folderId.equals(Folder.ROOT_ID)) {
                throw new InvalidInputException(field, "the admin role is the whole installation's: it is granted at the root"
                        + " folder only, not in " + path + " (folder_admin is a folder's administrator)");
            }
            if (!actor.isAdmin()) {
                throw new ForbiddenException("only an administrator may grant or take back the admin role");
            }
        }
        Set<Permission> missing = actor.grants().missing(role.permissionsIn(folderId), folderId);
        if (!missing.isEmpty()) {
            throw new ForbiddenException("role " + role.name() + " in folder " + path + " holds permissions that "
                    + actor.kind() + " " + actor.id() + " does not hold there (" + names(missing)
                    + "); no one grants more than it holds");
        }
    }

    /** 403 unless {@code actor} holds every one of {@code permissions} everywhere (custom roles are the installation's). */
    static void requireHeldEverywhere(Actor actor, Set<Permission> permissions, String doing) {
        Set<Permission> missing = actor.grants().missing(permissions, Folder.ROOT_ID);
        if (!missing.isEmpty()) {
            throw new ForbiddenException(doing + " needs every permission of the role held at the root folder; "
                    + actor.kind() + " " + actor.id() + " lacks " + names(missing));
        }
    }

    static String names(Set<Permission> permissions) {
        return permissions.stream().map(Permission::wireName).sorted().collect(Collectors.joining(", "));
    }
}
