package com.casarerpa.orchestrator.store;

import java.time.OffsetDateTime;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * Deletes at most a batch of the rows a condition picks: their keys first ({@code LIMIT}), then
 * those rows by key, in two statements that work alike on PostgreSQL and H2 (on H2, one
 * {@code DELETE … WHERE key IN (SELECT … LIMIT n)} took ten times as long). A row another
 * sweeper deleted in between is simply not counted.
 */
final class BoundedDelete {
    private BoundedDelete() {}

    /**
     * @param condition SQL over the table's columns with one parameter, {@code :before}
     * @return how many rows it deleted; fewer than {@code limit}: nothing more is left
     */
    static int run(Handle h, String table, String key, String condition, OffsetDateTime before, int limit) {
        return run(h, table, key, String.class, condition, before, limit);
    }

    /** As {@link #run(Handle, String, String, String, OffsetDateTime, int)}, for a key of another type ({@code Long}). */
    static int run(Handle h, String table, String key, Class<?> keyType, String condition, OffsetDateTime before, int limit) {
        List<?> keys = h.createQuery("SELECT " + key + " FROM " + table + " WHERE " + condition + " LIMIT :limit")
                .bind("before", before).bind("limit", limit)
                .mapTo(keyType)
                .list();
        if (keys.isEmpty()) {
            return 0;
        }
        return h.createUpdate("DELETE FROM " + table + " WHERE " + key + " IN (<keys>)").bindList("keys", keys).execute();
    }
}
