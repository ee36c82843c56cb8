package com.casarerpa.orchestrator.service;

import com.casarerpa.orchestrator.domain.Actor;
import com.casarerpa.orchestrator.domain.Folder;
import com.casarerpa.orchestrator.domain.FolderTree;
import com.casarerpa.orchestrator.domain.Permission;
import java.util.Optional;

/**
 * Finds the folder a request names, by id ({@code fld_…}, {@code root}) or by its path from the
 * root ({@code Default/Finance}; slashes around it ignored), as everywhere in the API
 * (docs/rest-api.md, "Folders"), and as the caller may see it: a folder it does not see is as
 * absent as one that does not exist (404 in a path, 400 in a body field, the same words either way).
 */
final class FolderLookup {
    private final AccessControl access;

    FolderLookup(AccessControl access) {
        this.access = access;
    }

    FolderTree tree() {
        return access.tree();
    }

    /** The folder of an id, else of a path from the root. */
    static Optional<Folder> resolve(FolderTree tree, String ref) {
        String r = ref == null ? "" : ref.strip();
        return r.isEmpty() ? Optional.empty() : tree.find(r).or(() -> tree.byIdOrPath(r.replaceAll("^/+|/+$", "")));
    }

    /** The folder a path parameter names; {@link NotFoundException} when absent or not visible to {@code actor}. */
    static Folder visible(FolderTree tree, String ref, Actor actor) {
        return resolve(tree, ref).filter(f -> actor.grants().sees(f.id()))
                .orElseThrow(() -> new NotFoundException(absent(ref)));
    }

    /** The folder a body field names; {@link InvalidInputException} naming {@code field} when absent or not visible. */
    static Folder visible(FolderTree tree, String ref, Actor actor, String field) {
        return resolve(tree, ref).filter(f -> actor.grants().sees(f.id()))
                .orElseThrow(() -> new InvalidInputException(field, absent(ref)));
    }

    /** 403 unless {@code actor} holds {@code folder.manage} in {@code folder}. */
    static void requireManage(Actor actor, Folder folder, FolderTree tree, String doing) {
        if (!actor.may(Permission.FOLDER_MANAGE, folder.id())) {
            throw new ForbiddenException(doing + " needs the " + Permission.FOLDER_MANAGE.wireName() + " permission in folder "
                    + tree.path(folder.id()) + ", which " + actor.kind() + " " + actor.id() + " does not hold there",
                    FolderAccess.lacking(Permission.FOLDER_MANAGE, folder.id(), tree.path(folder.id())));
        }
    }

    private static String absent(String ref) {
        return "no folder with id or path \"" + ref + "\"; a path starts at the root, e.g. \"Default/Finance\"";
    }
}
