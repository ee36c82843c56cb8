package com.casarerpa.orchestrator.testing;

import com.casarerpa.orchestrator.store.DatabaseUrl;
import java.nio.file.Path;
import java.util.Map;

/**
 * The two databases the orchestrator runs on, as the parameter of a {@link BothDatabases} test
 * class: it says which one this run of the class is on and makes the databases a test needs.
 * Its name ({@code postgresql}, {@code h2}) is what test reports show.
 */
public enum TestDatabase {
    POSTGRESQL,
    H2;

    public boolean isPostgres() {
        return this == POSTGRESQL;
    }

    /**
     * A new database with the current schema: on PostgreSQL a copy of the migrated template
     * (dropped on close), on H2 an embedded file in {@code h2Dir}.
     */
    public MigratedDatabase migrated(Path h2Dir) {
        return isPostgres() ? MigratedDatabase.postgres() : MigratedDatabase.h2(h2Dir);
    }

    /** A new database without any schema: a new PostgreSQL database, or an embedded one in {@code h2Dir}. */
    public Empty empty(Path h2Dir) {
        if (isPostgres()) {
            String name = TestPostgres.createDatabase();
            return new Empty(DatabaseUrl.parse(TestPostgres.url(name)), Map.of("DATABASE_URL", TestPostgres.url(name)), name);
        }
        return new Empty(DatabaseUrl.embedded(h2Dir), Map.of("CASARE_DATA_DIR", h2Dir.toString()), null);
    }

    @Override
    public String toString() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * An empty database: its URL, the environment that points CLI commands at it, and on
     * PostgreSQL its name; {@link #close()} drops a PostgreSQL one (the embedded file goes with
     * its temporary directory).
     */
    public record Empty(DatabaseUrl url, Map<String, String> env, String postgresName) implements AutoCloseable {
        @Override
        public void close() {
            if (postgresName != null) {
                TestPostgres.dropDatabase(postgresName);
            }
        }
    }
}
