package com.casarerpa.orchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.orchestrator.testing.SchemaVersions;
import com.casarerpa.orchestrator.testing.ChildJvm;
import com.casarerpa.orchestrator.testing.CliHarness;
import com.casarerpa.orchestrator.testing.CliHarness.Result;
import com.casarerpa.orchestrator.testing.HoldEmbeddedDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * While a server process holds the embedded database (and its lock), the CLI commands still
 * work on it, through H2's AUTO_SERVER, logging in with the password kept in the data directory.
 */
class EmbeddedDatabaseSharedWithServerTest {
    @TempDir
    Path dataDir;

    @TempDir
    Path workDir;

    private ChildJvm server;

    @BeforeEach
    void startServerHoldingTheDatabase() {
        server = ChildJvm.start(HoldEmbeddedDatabase.class, "server", dataDir.toString()).awaitLine("ready");
    }

    @AfterEach
    void killServer() throws InterruptedException {
        server.close();
    }

    private Result run(String... args) {
        return CliHarness.orchestrator(Map.of("CASARE_DATA_DIR", dataDir.toString()), workDir, args);
    }

    @Test
    void the_database_is_really_held_by_the_other_process() throws Exception {
        assertThat(Files.readString(dataDir.resolve("orchestrator.lock")).strip()).isEqualTo(String.valueOf(server.pid()));
        assertThat(server.output()).contains("ready");
    }

    @Test
    void every_database_command_works_beside_the_server() {
        Result before = run("db-status");
        Result init = run("init-db");
        Result migrate = run("migrate");
        Result status = run("db-status", "--json");
        Result check = run("check-db");
        Result key = run("create-api-key", "--name", "beside the server", "--role", "admin");

        for (Result r : new Result[] {before, init, migrate, status, check, key}) {
            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(r.err()).as(r.toString()).isEmpty();
        }
        assertThat(before.out()).contains(SchemaVersions.migrations("pending"));
        assertThat(init.out()).contains("Database initialised: schema version " + SchemaVersions.LATEST);
        assertThat(migrate.out()).contains("Schema is up to date at version " + SchemaVersions.LATEST);
        assertThat(status.out()).contains("\"current_version\" : \"" + SchemaVersions.LATEST + "\"");
        assertThat(check.out()).startsWith("Connected to H2").contains("schema:     version " + SchemaVersions.LATEST + ", up to date");
        assertThat(key.out()).contains("crpa_");
    }

    @Test
    void the_commands_log_in_with_the_password_the_server_keeps_in_the_data_directory() throws Exception {
        Path password = dataDir.resolve("database.password");
        assertThat(password).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(password))).isEqualTo("rw-------");

        Result check = run("check-db");
        assertThat(check.exitCode()).as(check.toString()).isZero();
        assertThat(check.toString()).doesNotContain(Files.readString(password).strip());
    }
}
