package com.casarerpa.orchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.orchestrator.testing.BothDatabases;
import com.casarerpa.orchestrator.testing.OnlyOn;
import com.casarerpa.orchestrator.testing.SchemaVersions;
import com.casarerpa.orchestrator.testing.CliHarness;
import com.casarerpa.orchestrator.testing.CliHarness.Result;
import com.casarerpa.orchestrator.testing.TestDatabase;
import com.casarerpa.orchestrator.testing.TestPostgres;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;

/** init-db, migrate, db-status and check-db on a fresh database, on PostgreSQL and on H2. */
class DatabaseCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Nested
    @BothDatabases
    class Contract {
        @Parameter
        TestDatabase kind;
        @TempDir
        Path workDir;
        @TempDir
        Path dataDir;
        private TestDatabase.Empty empty;
        /** The PostgreSQL database's name. */
        private String database;

        @BeforeEach
        void createDatabase() {
            empty = kind.empty(dataDir.resolve("data"));
            database = empty.postgresName();
        }

        @AfterEach
        void dropDatabase() {
            empty.close();
        }

        /** The environment that points the commands at a new, empty database. */
        Map<String, String> env() {
            return empty.env();
        }

        String databaseKind() {
            return kind.isPostgres() ? "PostgreSQL" : "H2";
        }

        Result run(String... args) {
            return CliHarness.orchestrator(env(), workDir, args);
        }

        @Test
        void init_db_creates_the_schema_and_prints_what_it_did() {
            Result result = run("init-db");

            assertThat(result.exitCode()).as(result.toString()).isZero();
            assertThat(result.out())
                    .contains("Applied migration 1: orchestrator meta")
                    .contains("Database initialised: schema version " + SchemaVersions.LATEST + " (" + SchemaVersions.migrations("") + " applied).");
            assertThat(result.err()).isEmpty();
        }

        @Test
        void init_db_on_an_initialised_database_changes_nothing_and_says_so() {
            run("init-db");

            Result again = run("init-db");

            assertThat(again.exitCode()).as(again.toString()).isZero();
            assertThat(again.out()).contains("Database already initialised (schema version " + SchemaVersions.LATEST + "); nothing to do.")
                    .doesNotContain("Applied migration");
        }

        @Test
        void migrate_on_a_current_schema_says_it_is_up_to_date() {
            run("init-db");

            Result result = run("migrate");

            assertThat(result.exitCode()).as(result.toString()).isZero();
            assertThat(result.out()).contains("Schema is up to date at version " + SchemaVersions.LATEST + "; nothing to apply.");
        }

        @Test
        void migrate_on_an_empty_database_applies_every_migration() {
            Result result = run("migrate");

            assertThat(result.exitCode()).as(result.toString()).isZero();
            assertThat(result.out()).contains("Applied migration 1: orchestrator meta")
                    .contains("Schema is now at version " + SchemaVersions.LATEST + " (" + SchemaVersions.migrations("") + " applied).");
        }

        @Test
        void db_status_before_init_shows_every_migration_pending() {
            Result result = run("db-status");

            assertThat(result.exitCode()).as(result.toString()).isZero();
            assertThat(result.out())
                    .containsPattern("VERSION +DESCRIPTION +STATE +INSTALLED ON")
                    .containsPattern("1 +orchestrator meta +pending +-")
                    .contains("Database not initialised: " + SchemaVersions.migrations("pending") + "; create the schema with:"
                            + " casare-rpa orchestrator init-db.");
        }

        @Test
        void db_status_after_init_shows_applied_migrations_as_table_and_as_json() throws Exception {
            run("init-db");

            Result table = run("db-status");
            Result json = run("db-status", "--json");

            assertThat(table.out()).containsPattern("1 +orchestrator meta +applied +\\d{4}-\\d\\d-\\d\\dT")
                    .contains("Schema version " + SchemaVersions.LATEST + ", 0 pending migrations.");
            assertThat(json.exitCode()).as(json.toString()).isZero();
            JsonNode status = JSON.readTree(json.out());
            assertThat(status.get("initialised").asBoolean()).isTrue();
            assertThat(status.get("current_version").asText()).isEqualTo(SchemaVersions.LATEST);
            assertThat(status.get("pending").asInt()).isZero();
            assertThat(status.get("dialect").asText()).isEqualTo(databaseKind());
            JsonNode first = status.get("migrations").get(0);
            assertThat(first.get("version").asText()).isEqualTo("1");
            assertThat(first.get("state").asText()).isEqualTo("applied");
            assertThat(first.get("installed_on").asText()).matches("\\d{4}-.*Z");
        }

        @Test
        void check_db_reports_server_latency_and_pending_migrations() {
            Result result = run("check-db");

            assertThat(result.exitCode()).as(result.toString()).isZero();
            assertThat(result.out())
                    .startsWith("Connected to " + databaseKind() + " ")
                    .containsPattern("latency: +\\d+\\.?\\d* ms \\(median of 5 round trips\\)")
                    .contains("schema:     not initialised, " + SchemaVersions.migrations("pending") + " (run: casare-rpa orchestrator init-db)");
        }

        @Test
        void check_db_after_init_says_up_to_date_and_json_parses() throws Exception {
            run("init-db");

            Result text = run("check-db");
            Result json = run("check-db", "--json");

            assertThat(text.out()).contains("schema:     version " + SchemaVersions.LATEST + ", up to date");
            assertThat(json.exitCode()).as(json.toString()).isZero();
            JsonNode report = JSON.readTree(json.out());
            assertThat(report.get("ok").asBoolean()).isTrue();
            assertThat(report.get("database").asText()).isEqualTo(databaseKind());
            assertThat(report.get("server_version").asText()).isNotBlank();
            assertThat(report.get("latency_ms").isNumber()).isTrue();
            assertThat(report.get("schema").get("current_version").asText()).isEqualTo(SchemaVersions.LATEST);
            assertThat(report.get("schema").get("pending")).isEmpty();
            if (databaseKind().equals("H2")) {
                assertThat(report.get("autovacuum").isNull()).as("H2 needs no vacuum").isTrue();
            }
        }

        @Test
        @OnlyOn(TestDatabase.POSTGRESQL)
        void init_db_creates_the_extensions_of_the_specification() {
            Result result = run("init-db");

            assertThat(result.out()).contains("Created extension uuid-ossp.").contains("Created extension pgcrypto.");
            Result check = run("check-db");
            assertThat(check.out()).containsPattern("extensions: uuid-ossp installed \\([\\d.]+\\), pgcrypto installed");
        }

        @Test
        @OnlyOn(TestDatabase.POSTGRESQL)
        void check_db_reports_the_servers_autovacuum_setting_and_warns_when_it_is_off() throws Exception {
            boolean on;
            try (var c = TestPostgres.connect(database); var s = c.createStatement(); var rs = s.executeQuery("SHOW autovacuum")) {
                rs.next();
                on = rs.getString(1).equals("on");
            }

            Result text = run("check-db");
            Result json = run("check-db", "--json");

            assertThat(text.exitCode()).as(text.toString()).isZero();
            assertThat(text.out()).contains("autovacuum: " + (on ? "on" : "OFF"));
            if (on) {
                assertThat(text.err()).doesNotContain("autovacuum");
            } else {
                assertThat(text.err()).contains("warning: autovacuum is off").contains("ALTER SYSTEM SET autovacuum = on");
            }
            assertThat(JSON.readTree(json.out()).get("autovacuum").asBoolean()).isEqualTo(on);
        }

        @Test
        @OnlyOn(TestDatabase.POSTGRESQL)
        void check_db_shows_the_url_it_used() {
            Result result = run("check-db");

            assertThat(result.out()).contains("url:        " + TestPostgres.url(database).replace(":5432", ":" + TestPostgres.PORT));
        }

        @Test
        @OnlyOn(TestDatabase.H2)
        void commands_create_the_data_directory_and_name_the_embedded_file() {
            Result result = run("init-db");

            assertThat(result.out()).contains("Database: embedded H2 database " + dataDir.resolve("data/casare.mv.db"));
            assertThat(dataDir.resolve("data/casare.mv.db")).exists();
        }
    }
}
