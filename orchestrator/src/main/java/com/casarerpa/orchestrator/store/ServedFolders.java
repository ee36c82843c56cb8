package com.casarerpa.orchestrator.store;

import com.casarerpa.orchestrator.domain.Folder;
import com.casarerpa.orchestrator.domain.FolderTree;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/**
 * The folders whose jobs a claim may take, from the folders its robots are assigned to: those
 * and every folder below them, by the tree as it is in the claim's transaction (a folder made
 * under an assigned one counts at once). A robot assigned to nothing, or to the root, serves
 * every folder: then nothing is read and the claim has no folder condition at all.
 */
final class ServedFolders {
    private ServedFolders() {}

    /** Empty: every folder. Otherwise the folder ids (never empty: assigned folders cannot be deleted). */
    static Optional<Set<String>> of(Handle h, Set<String> assigned) {
        if (assigned.isEmpty() || assigned.contains(Folder.ROOT_ID)) {
            return Optional.empty();
        }
        return new FolderTree(AccessStore.folders(h)).servedBy(assigned);
    }

    /** True when no folder is served (a claim then takes nothing and runs no statement). */
    static boolean none(Optional<Set<String>> served) {
        return served.isPresent() && served.get().isEmpty();
    }

    /** {@code AND alias.folder_id IN (<folders>)}, or nothing for every folder. */
    static String condition(String alias, Optional<Set<String>> served) {
        return served.isEmpty() ? "" : " AND " + alias + ".folder_id IN (<folders>)";
    }
}
