package com.casarerpa.orchestrator.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.casarerpa.orchestrator.testing.BothDatabases;
import com.casarerpa.orchestrator.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;

/** The same migration contract, proved on PostgreSQL and on the embedded H2 database. */
class MigrationsTest {

    @Nested
    @BothDatabases
    class Contract {
        @Parameter
        TestDatabase database;
        @TempDir
        Path dataDir;
        private final List<TestDatabase.Empty> databases = new ArrayList<>();
        private final List<Database> opened = new ArrayList<>();

        /** A URL of a new, empty database. */
        DatabaseUrl emptyDatabase() {
            TestDatabase.Empty empty = database.empty(dataDir.resolve("db" + databases.size()));
            databases.add(empty);
            return empty.url();
        }

        Database open() {
            Database db = Database.open(emptyDatabase(), PoolSettings.forCommand());
            opened.add(db);
            return db;
        }

        @AfterEach
        void close() {
            opened.forEach(Database::close);
            databases.forEach(TestDatabase.Empty::close);
        }

        @Test
        void an_empty_database_is_not_initialised_and_has_every_migration_pending() {
            Migrations migrations = new Migrations(open());

            assertThat(migrations.isInitialised()).isFalse();
            assertThat(migrations.currentVersion()).isEmpty();
            assertThat(migrations.pending()).isNotEmpty().allSatisfy(m -> {
                assertThat(m.state()).isEqualTo(MigrationStatus.State.PENDING);
                assertThat(m.installedOn()).isEmpty();
            });
            assertThat(migrations.status()).first().satisfies(m -> {
                assertThat(m.version()).isEqualTo("1");
                assertThat(m.description()).isEqualTo("orchestrator meta");
            });
        }

        @Test
        void migrate_applies_every_migration_and_leaves_none_pending() {
            Migrations migrations = new Migrations(open());
            int known = migrations.status().size();

            List<AppliedMigration> applied = migrations.migrate();

            assertThat(applied).hasSize(known);
            assertThat(applied.getFirst().version()).isEqualTo("1");
            assertThat(migrations.pending()).isEmpty();
            assertThat(migrations.isInitialised()).isTrue();
            assertThat(migrations.currentVersion()).contains(applied.getLast().version());
            assertThat(migrations.status()).allSatisfy(m -> {
                assertThat(m.state()).isEqualTo(MigrationStatus.State.APPLIED);
                assertThat(m.installedOn()).isPresent();
            });
            migrations.requireCurrent();
        }

        @Test
        void a_second_migrate_applies_nothing() {
            Migrations migrations = new Migrations(open());
            migrations.migrate();

            assertThat(migrations.migrate()).isEmpty();
        }

        @Test
        void the_first_migration_records_the_installation_id_and_creation_time() throws Exception {
            Database db = open();
            new Migrations(db).migrate();

            try (Connection c = db.connection(); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT meta_key, meta_value, updated_at FROM orchestrator_meta ORDER BY meta_key")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("created_at");
                assertThat(rs.getTimestamp(3)).isNotNull();
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("installation_id");
                assertThat(UUID.fromString(rs.getString(2))).isNotNull();
            }
        }

        @Test
        void require_current_refuses_a_database_with_pending_migrations_and_says_what_to_run() {
            Migrations migrations = new Migrations(open());

            assertThatThrownBy(migrations::requireCurrent)
                    .isInstanceOf(PendingMigrationsException.class)
                    .hasMessageContaining("pending migration")
                    .hasMessageContaining("casare-rpa orchestrator init-db");
        }

        @Test
        void a_schema_with_tables_but_no_history_is_refused_with_one_line() throws Exception {
            Database db = open();
            try (Connection c = db.connection(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE somebody_elses (id INT)");
            }

            assertThatThrownBy(() -> new Migrations(db).migrate())
                    .isInstanceOf(MigrationFailedException.class)
                    .hasMessageContaining("non-empty schema")
                    .message().doesNotContain("\n");
        }
    }
}
