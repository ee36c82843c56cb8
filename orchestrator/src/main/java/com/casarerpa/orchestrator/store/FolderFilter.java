package com.casarerpa.orchestrator.store;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.jdbi.v3.core.statement.Query;

/** The folder condition of a listing's SQL: only rows whose {@code folder_id} is in a set (none: no rows). */
final class FolderFilter {
    private FolderFilter() {}

    /** Appends {@code AND folder_id IN (…)} and its binding; nothing when {@code folders} is empty (every folder). */
    static void append(Optional<Set<String>> folders, StringBuilder sql, List<Consumer<Query>> binds) {
        append("folder_id", folders, sql, binds);
    }

    /** As {@link #append(Optional, StringBuilder, List)}, on {@code column} (qualified, say {@code j.folder_id}). */
    static void append(String column, Optional<Set<String>> folders, StringBuilder sql, List<Consumer<Query>> binds) {
        folders.ifPresent(f -> {
            if (f.isEmpty()) {
                sql.append(" AND 1 = 0");
            } else {
                sql.append(" AND ").append(column).append(" IN (<folders>)");
                binds.add(q -> q.bindList("folders", f.stream().sorted().toList()));
            }
        });
    }
}
