package com.casarerpa.orchestrator.testing;

import com.casarerpa.orchestrator.store.Database;
import com.casarerpa.orchestrator.store.Migrations;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;

/** A database at an older schema version, for tests of what a migration does to rows already there. */
public final class OlderSchema {
    private OlderSchema() {}

    /** Applies the migrations of this build up to {@code version} only. */
    public static void migrateTo(Database db, String version) {
        Flyway.configure(Migrations.class.getClassLoader()).dataSource(db.dataSource())
                .locations("classpath:db/migration/common", db.dialect().vendorMigrationLocation())
                .target(version).load().migrate();
    }

    /** A workflow {@code id} named {@code name} with an empty version 1, as the old schemas store one. */
    public static void workflow(Jdbi jdbi, String id, String name) {
        jdbi.useHandle(h -> {
            h.createUpdate("INSERT INTO workflows (id, name, latest_version, created_at, updated_at, created_by)"
                    + " VALUES (:id, :name, 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 'test')").bind("id", id).bind("name", name)
                    .execute();
            h.createUpdate("INSERT INTO workflow_versions (workflow_id, version, definition, checksum, size_bytes, node_count,"
                    + " created_at, created_by) VALUES (:id, 1, '{}', '" + "0".repeat(64) + "', 2, 0, CURRENT_TIMESTAMP, 'test')")
                    .bind("id", id).execute();
        });
    }
}
