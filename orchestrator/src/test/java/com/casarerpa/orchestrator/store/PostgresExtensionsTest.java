package com.casarerpa.orchestrator.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.orchestrator.testing.SchemaVersions;
import com.casarerpa.orchestrator.testing.CliHarness;
import com.casarerpa.orchestrator.testing.CliHarness.Result;
import com.casarerpa.orchestrator.testing.TestPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A managed database: the application's role may create tables but not extensions. */
class PostgresExtensionsTest {
    private String database;
    private String role;

    @TempDir
    Path workDir;

    @BeforeEach
    void createDatabaseAndRestrictedRole() throws Exception {
        database = TestPostgres.createDatabase();
        role = "casare_noext_" + UUID.randomUUID().toString().substring(0, 8);
        try (Connection c = TestPostgres.connect(database); Statement s = c.createStatement()) {
            s.execute("CREATE ROLE " + role + " LOGIN");
            s.execute("GRANT CREATE ON SCHEMA public TO " + role);
        }
    }

    @AfterEach
    void dropThem() throws Exception {
        TestPostgres.dropDatabase(database);
        try (Connection c = TestPostgres.connect("postgres"); Statement s = c.createStatement()) {
            s.execute("DROP ROLE IF EXISTS " + role);
        }
    }

    private String url() {
        return "postgresql://" + role + "@" + TestPostgres.HOST + ":" + TestPostgres.PORT + "/" + database;
    }

    @Test
    void ensure_reports_a_role_that_may_not_create_extensions_without_failing() {
        try (Database db = Database.open(DatabaseUrl.parse(url()), PoolSettings.forCommand())) {
            var outcomes = new PostgresExtensions(db).ensure();

            assertThat(outcomes).extracting(PostgresExtensions.Outcome::name).containsExactly("uuid-ossp", "pgcrypto");
            assertThat(outcomes).allSatisfy(o -> {
                assertThat(o.result()).isEqualTo(PostgresExtensions.Result.NOT_PERMITTED);
                assertThat(o.isWarning()).isTrue();
            });
            assertThat(new PostgresExtensions(db).inspect())
                    .allSatisfy(e -> assertThat(e.state()).isEqualTo(PostgresExtensions.State.AVAILABLE));
        }
    }

    @Test
    void init_db_warns_about_the_extensions_and_still_creates_the_schema() {
        Result result = CliHarness.orchestrator(Map.of("DATABASE_URL", url()), workDir, "init-db");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.err().lines()).hasSize(2).allSatisfy(line -> assertThat(line)
                .startsWith("warning: extension ")
                .contains("permission denied to create extension")
                .endsWith("the orchestrator works without it)"));
        assertThat(result.out()).contains("Database initialised: schema version " + SchemaVersions.LATEST);
    }

    @Test
    void extensions_already_installed_by_the_owner_need_no_privilege() throws Exception {
        try (Connection c = TestPostgres.connect(database); Statement s = c.createStatement()) {
            s.execute("CREATE EXTENSION \"uuid-ossp\"");
            s.execute("CREATE EXTENSION pgcrypto");
        }

        Result result = CliHarness.orchestrator(Map.of("DATABASE_URL", url()), workDir, "init-db");

        assertThat(result.err()).isEmpty();
        assertThat(result.out()).contains("Extension uuid-ossp is already installed.")
                .contains("Extension pgcrypto is already installed.");
    }
}
