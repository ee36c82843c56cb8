package com.casarerpa.orchestrator.store;

import static com.casarerpa.orchestrator.store.Jdbi3.ts;

import com.casarerpa.orchestrator.domain.Folder;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.jdbi.v3.core.Jdbi;

/**
 * Writes to the {@code folders} table and counts what a folder holds. The tree itself is read
 * whole through {@link AccessStore#folders()}. A second folder of the same name under one parent
 * is a {@link UniqueViolationException}.
 */
public final class FolderStore {
    /** A binding of a personal token that no longer works (revoked or gone). */
    private static final String DEAD_TOKEN_BINDING = "(b.principal_kind = 'api_key' AND NOT EXISTS (SELECT 1 FROM api_keys k"
            + " WHERE k.id = b.principal_id AND k.revoked_at IS NULL))";

    /**
     * What may be in a folder, as the counts of {@link #contents} name it, with the statement
     * counting it. A personal token's binding of a revoked token keeps nothing alive: it goes
     * with the folder.
     */
    private static final Map<String, String> CONTENTS = contents();

    private final Jdbi jdbi;

    public FolderStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    private static Map<String, String> contents() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("subfolders", "SELECT COUNT(*) FROM folders WHERE parent_id = :id");
        m.put("workflows", "SELECT COUNT(*) FROM workflows WHERE folder_id = :id");
        m.put("schedules", "SELECT COUNT(*) FROM schedules WHERE folder_id = :id");
        m.put("webhooks", "SELECT COUNT(*) FROM webhooks WHERE folder_id = :id");
        m.put("jobs", "SELECT COUNT(*) FROM jobs WHERE folder_id = :id");
        m.put("robots", "SELECT COUNT(*) FROM robot_folders WHERE folder_id = :id");
        m.put("robot_keys", "SELECT COUNT(*) FROM api_key_folders WHERE folder_id = :id");
        m.put("bindings", "SELECT COUNT(*) FROM role_bindings b WHERE b.folder_id = :id AND NOT " + DEAD_TOKEN_BINDING);
        return m;
    }

    public void insert(Folder f) {
        run(() -> jdbi.useHandle(h -> h.createUpdate("INSERT INTO folders (id, name, parent_id, description, created_at, created_by)"
                        + " VALUES (:id, :name, :parent, :description, :at, :by)")
                .bind("id", f.id()).bind("name", f.name()).bind("parent", f.parentId().orElse(null))
                .bind("description", f.description()).bind("at", ts(f.createdAt())).bind("by", f.createdBy())
                .execute()));
    }

    /** Renames, describes and moves a folder (the root keeps its null parent); false when it does not exist. */
    public boolean update(String id, String name, String description, String parentId) {
        return get(() -> jdbi.withHandle(h -> h.createUpdate("UPDATE folders SET name = :name, description = :description,"
                        + " parent_id = :parent WHERE id = :id")
                .bind("id", id).bind("name", name).bind("description", description).bind("parent", parentId)
                .execute())) == 1;
    }

    /**
     * How many of each thing the folder holds, by the names of {@link #CONTENTS}; only the
     * non-zero ones, so an empty map means an empty folder.
     */
    public Map<String, Long> contents(String id) {
        return get(() -> jdbi.withHandle(h -> {
            Map<String, Long> out = new LinkedHashMap<>();
            CONTENTS.forEach((what, sql) -> {
                long n = h.createQuery(sql).bind("id", id).mapTo(Long.class).one();
                if (n > 0) {
                    out.put(what, n);
                }
            });
            return out;
        }));
    }

    /** Deletes an empty folder (and the bindings of revoked tokens left in it); false when it did not exist. */
    public boolean delete(String id) {
        return get(() -> jdbi.withHandle(h -> {
            h.createUpdate("DELETE FROM role_bindings b WHERE b.folder_id = :id AND " + DEAD_TOKEN_BINDING).bind("id", id).execute();
            return h.createUpdate("DELETE FROM folders WHERE id = :id").bind("id", id).execute() == 1;
        }));
    }

    private static void run(Runnable action) {
        Jdbi3.run("folders", action);
    }

    private static <T> T get(Supplier<T> action) {
        return Jdbi3.call("folders", action);
    }
}
