package com.casarerpa.orchestrator.service;

import com.casarerpa.orchestrator.domain.Folder;
import com.casarerpa.orchestrator.domain.FolderTree;
import java.util.ArrayList;
import java.util.List;

/** Folders named by people: each by its id or its path ({@code Default/Finance}). */
final class FolderReferences {
    private FolderReferences() {}

    /**
     * The folder ids a list of references names, without repeats, in order. The root among them
     * stands for every folder, so then the root alone is returned.
     *
     * @throws InvalidInputException naming {@code field} for an empty list or a folder that does not exist
     */
    static List<String> resolve(FolderTree tree, List<String> references, String field) {
        if (references.isEmpty()) {
            throw new InvalidInputException(field, "name at least one folder (to serve every folder, name the root: "
                    + Folder.ROOT_ID + " or " + tree.path(Folder.ROOT_ID) + ")");
        }
        List<String> ids = new ArrayList<>();
        for (String reference : references) {
            String id = tree.byIdOrPath(reference == null ? "" : reference.strip()).map(Folder::id)
                    .orElseThrow(() -> new InvalidInputException(field, "no folder \"" + reference
                            + "\": give a folder id or its path from the root, such as " + tree.path(Folder.ROOT_ID) + "/Finance"));
            if (!ids.contains(id)) {
                ids.add(id);
            }
        }
        return ids.contains(Folder.ROOT_ID) ? List.of(Folder.ROOT_ID) : List.copyOf(ids);
    }
}
