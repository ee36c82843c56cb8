package com.casarerpa.orchestrator.testing;

import com.casarerpa.orchestrator.store.Database;
import com.casarerpa.orchestrator.store.DatabaseUrl;
import com.casarerpa.orchestrator.store.Migrations;
import com.casarerpa.orchestrator.store.PoolSettings;
import java.nio.file.Path;
import java.util.Map;

/**
 * A new database with the current schema, opened for a test: an embedded H2 file in a temporary
 * directory (migrated here), or a fresh PostgreSQL database copied from the migrated template and
 * dropped on close. {@link #env()} points CLI commands at the same database.
 */
public final class MigratedDatabase implements AutoCloseable {
    private final DatabaseUrl url;
    private final Database database;
    private final Map<String, String> env;
    private final String postgresName;

    private MigratedDatabase(DatabaseUrl url, Map<String, String> env, String postgresName) {
        this.url = url;
        this.database = Database.open(url, PoolSettings.forCommand());
        if (postgresName == null) {
            new Migrations(database).migrate();
        }
        this.env = env;
        this.postgresName = postgresName;
    }

    public static MigratedDatabase h2(Path dataDir) {
        return new MigratedDatabase(DatabaseUrl.embedded(dataDir), Map.of("CASARE_DATA_DIR", dataDir.toString()), null);
    }

    public static MigratedDatabase postgres() {
        String name = TestPostgres.createMigratedDatabase();
        return new MigratedDatabase(DatabaseUrl.parse(TestPostgres.url(name)), Map.of("DATABASE_URL", TestPostgres.url(name)),
                name);
    }

    public Database database() {
        return database;
    }

    /** Where it is, to open another pool on it (a test of concurrent transactions needs more than this one's two connections). */
    public DatabaseUrl url() {
        return url;
    }

    /** The environment that points CLI commands at this database. */
    public Map<String, String> env() {
        return env;
    }

    @Override
    public void close() {
        database.close();
        if (postgresName != null) {
            TestPostgres.dropDatabase(postgresName);
        }
    }
}
