package com.casarerpa.orchestrator.service;

import com.casarerpa.orchestrator.domain.Actor;
import com.casarerpa.orchestrator.domain.AuditTrail;
import com.casarerpa.orchestrator.domain.Folder;
import com.casarerpa.orchestrator.domain.FolderTree;
import com.casarerpa.orchestrator.domain.WorkflowIds;
import com.casarerpa.orchestrator.store.FolderStore;
import com.casarerpa.orchestrator.store.UniqueViolationException;
import java.time.Clock;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The folder tree's administration: create, list, show, rename, describe, move and delete
 * folders. A caller sees a folder where it holds some permission; creating, moving or deleting a
 * folder needs {@code folder.manage} in its parent, describing one {@code folder.manage} in it.
 * The root ("Default") is never moved or deleted; a folder is deleted only when empty.
 */
public final class Folders {
    private final FolderLookup lookup;
    private final FolderStore store;
    private final AuditTrail audit;
    private final Clock clock;

    Folders(FolderLookup lookup, FolderStore store, AuditTrail audit, Clock clock) {
        this.lookup = lookup;
        this.store = store;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * A folder with its path.
     *
     * @param visible false for an ancestor listed only so that the tree down to a visible folder can be drawn
     */
    public record Shown(Folder folder, String path, boolean visible) {}

    /** What a change sets; absent fields stay. {@code parent} is an id or a path. */
    public record Change(Optional<String> name, Optional<String> description, Optional<String> parent) {}

    /** The folders the caller sees, and their ancestors (not {@code visible}), by path. */
    public List<Shown> list(Actor actor) {
        FolderTree tree = lookup.tree();
        Set<String> visible = tree.all().stream().map(Folder::id).filter(id -> actor.grants().sees(id)).collect(Collectors.toSet());
        Set<String> listed = new LinkedHashSet<>();
        visible.forEach(id -> listed.addAll(tree.selfAndAncestors(id)));
        return listed.stream().map(id -> new Shown(tree.find(id).orElseThrow(), tree.path(id), visible.contains(id)))
                .sorted(Comparator.comparing(Shown::path, String.CASE_INSENSITIVE_ORDER)).toList();
    }

    public Shown get(String ref, Actor actor) {
        FolderTree tree = lookup.tree();
        return shown(tree, FolderLookup.visible(tree, ref, actor));
    }

    /** A new folder below {@code parentRef} (the root when empty). */
    public Shown create(String name, Optional<String> parentRef, String description, Actor by) {
        FolderTree tree = lookup.tree();
        Folder parent = FolderLookup.visible(tree, parentRef.orElse(Folder.ROOT_ID), by, "parent");
        FolderLookup.requireManage(by, parent, tree, "Creating a folder");
        String checked = checkedName(name);
        requireFree(tree, parent.id(), checked, Optional.empty());
        Folder folder = new Folder(WorkflowIds.random("fld_"), checked, Optional.of(parent.id()), TextFields.optional(description, "description", Folder.MAX_DESCRIPTION),
                clock.instant(), by.describe());
        audit.atomically(() -> {
            insert(folder);
            audit.record(by, "folder.create", "folder", folder.id(), Map.of("name", checked, "parent_id", parent.id(),
                    "path", tree.path(parent.id()) + "/" + checked), folder.id());
        });
        return written(folder.id());
    }

    /** Renames, describes or moves a folder. */
    public Shown update(String ref, Change change, Actor by) {
        FolderTree tree = lookup.tree();
        Folder folder = FolderLookup.visible(tree, ref, by);
        String name = change.name().map(Folders::checkedName).orElse(folder.name());
        String description = change.description().map(d -> TextFields.optional(d, "description", Folder.MAX_DESCRIPTION)).orElse(folder.description());
        Optional<String> parentId = folder.parentId();
        if (change.parent().isPresent()) {
            Folder parent = FolderLookup.visible(tree, change.parent().get(), by, "parent");
            if (folder.isRoot()) {
                throw new InvalidInputException("parent", "the root folder cannot be moved");
            }
            if (tree.selfAndDescendants(folder.id()).contains(parent.id())) {
                throw new InvalidInputException("parent", "cannot move folder " + tree.path(folder.id()) + " into "
                        + tree.path(parent.id()) + ", which is itself or below it");
            }
            parentId = Optional.of(parent.id());
        }
        boolean placed = !name.equals(folder.name()) || !parentId.equals(folder.parentId());
        // Renaming or moving changes the parent's contents; describing only the folder's.
        String decides = placed ? folder.parentId().orElse(folder.id()) : folder.id();
        FolderLookup.requireManage(by, tree.find(decides).orElseThrow(), tree, placed ? "Renaming or moving a folder" : "Describing a folder");
        if (!parentId.equals(folder.parentId())) {
            FolderLookup.requireManage(by, tree.find(parentId.orElseThrow()).orElseThrow(), tree, "Moving a folder there");
        }
        if (placed && folder.parentId().isPresent()) {
            requireFree(tree, parentId.orElseThrow(), name, Optional.of(folder.id()));
        }
        Map<String, Object> details = changes(folder, name, description, parentId);
        if (!details.isEmpty()) {
            String newParent = parentId.orElse(null);
            audit.atomically(() -> {
                try {
                    store.update(folder.id(), name, description, newParent);
                } catch (UniqueViolationException e) {
                    throw nameTaken(name, tree.path(newParent));
                }
                audit.record(by, "folder.update", "folder", folder.id(), details, folder.id());
            });
        }
        return written(folder.id());
    }

    /** Deletes an empty folder; 409 naming what it still holds. */
    public void delete(String ref, Actor by) {
        FolderTree tree = lookup.tree();
        Folder folder = FolderLookup.visible(tree, ref, by);
        if (folder.isRoot()) {
            throw new ConflictException("the root folder " + folder.name() + " cannot be deleted", Map.of("folder_id", folder.id()));
        }
        FolderLookup.requireManage(by, tree.find(folder.parentId().orElseThrow()).orElseThrow(), tree, "Deleting a folder");
        String path = tree.path(folder.id());
        audit.atomically(() -> {
            Map<String, Long> contents = store.contents(folder.id());
            if (!contents.isEmpty()) {
                Map<String, Object> details = new LinkedHashMap<>(contents);
                details.put("folder_id", folder.id());
                throw new ConflictException("folder " + path + " is not empty: it holds " + contents.entrySet().stream()
                        .map(e -> e.getValue() + " " + e.getKey().replace('_', ' ')).collect(Collectors.joining(", "))
                        + "; move or delete them first", details);
            }
            store.delete(folder.id());
            // Recorded in the parent: the folder is gone, its parent's admins read what became of it.
            audit.record(by, "folder.delete", "folder", folder.id(), Map.of("name", folder.name(), "path", path),
                    folder.parentId().orElseThrow());
        });
    }

    private void insert(Folder folder) {
        try {
            store.insert(folder);
        } catch (UniqueViolationException e) {
            throw nameTaken(folder.name(), lookup.tree().path(folder.parentId().orElseThrow()));
        }
    }

    private static void requireFree(FolderTree tree, String parentId, String name, Optional<String> self) {
        tree.childNamed(parentId, name).filter(f -> self.map(s -> !s.equals(f.id())).orElse(true)).ifPresent(f -> {
            throw new ConflictException("folder " + tree.path(parentId) + " already has a folder named " + f.name()
                    + " (" + f.id() + "); folder names are unique among siblings, ignoring case",
                    Map.of("field", "name", "folder_id", f.id()));
        });
    }

    /** Another request took the name between the check and the write. */
    private static ConflictException nameTaken(String name, String parentPath) {
        return new ConflictException("folder " + parentPath + " already has a folder named " + name, Map.of("field", "name"));
    }

    private static Map<String, Object> changes(Folder folder, String name, String description, Optional<String> parentId) {
        Map<String, Object> details = new LinkedHashMap<>();
        if (!name.equals(folder.name())) {
            details.put("name", name);
            details.put("previous_name", folder.name());
        }
        if (!description.equals(folder.description())) {
            details.put("description_changed", true);
        }
        if (!parentId.equals(folder.parentId())) {
            details.put("parent_id", parentId.orElseThrow());
            details.put("previous_parent_id", folder.parentId().orElseThrow());
        }
        return details;
    }

    /**
     * A folder just written, as it is now. Not checked against the caller's grants: they were
     * read before the write, when a new folder did not exist yet (the next request sees it).
     */
    private Shown written(String id) {
        FolderTree tree = lookup.tree();
        return shown(tree, tree.find(id).orElseThrow());
    }

    private static Shown shown(FolderTree tree, Folder f) {
        return new Shown(f, tree.path(f.id()), true);
    }

    private static String checkedName(String name) {
        String n = name == null ? "" : name.strip();
        if (!Folder.isValidName(n)) {
            throw new InvalidInputException("name", "a folder name is " + Folder.NAME_RULE + ", got \"" + n + "\"");
        }
        return n;
    }
}
