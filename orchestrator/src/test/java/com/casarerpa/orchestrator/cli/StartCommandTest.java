package com.casarerpa.orchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.orchestrator.store.Database;
import com.casarerpa.orchestrator.store.DatabaseUrl;
import com.casarerpa.orchestrator.store.PoolSettings;
import com.casarerpa.orchestrator.testing.CliHarness;
import com.casarerpa.orchestrator.testing.CliHarness.Result;
import com.casarerpa.orchestrator.testing.OlderSchema;
import com.casarerpa.orchestrator.testing.TestPostgres;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ways {@code orchestrator start} refuses to start: each is one line and a non-zero exit. */
class StartCommandTest {
    @TempDir
    Path workDir;

    private Result start(Map<String, String> env, String... args) {
        Map<String, String> all = new HashMap<>(env);
        all.putIfAbsent("CASARE_DATA_DIR", workDir.resolve("data").toString());
        String[] full = new String[args.length + 1];
        full[0] = "start";
        System.arraycopy(args, 0, full, 1, args.length);
        return CliHarness.orchestrator(all, workDir, full);
    }

    private static void assertOneErrorLine(Result r, int exitCode, String... fragments) {
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(exitCode);
        assertThat(r.err().strip().lines()).as(r.toString()).hasSize(1);
        assertThat(r.err()).startsWith("error: ").contains(fragments).doesNotContain("\tat ");
    }

    @Test
    void a_port_that_is_not_a_number_is_a_usage_error() {
        assertOneErrorLine(start(Map.of(), "--port", "eighty"), 2, "--port", "eighty");
    }

    @Test
    void an_out_of_range_port_names_the_key() {
        assertOneErrorLine(start(Map.of("ORCHESTRATOR_PORT", "70000")), 2, "orchestrator.port", "70000");
    }

    @Test
    void a_port_in_use_says_so_and_how_to_choose_another() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Result r = start(Map.of(), "--port", Integer.toString(taken.getLocalPort()));
            assertOneErrorLine(r, 1, "port " + taken.getLocalPort(), "already in use", "--port");
        }
    }

    @Test
    void a_data_directory_every_user_may_write_to_is_refused_in_one_line() throws IOException {
        Path shared = Files.createDirectories(workDir.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));

        Result r = start(Map.of("CASARE_DATA_DIR", shared.toString()), "--port", "0");
        assertOneErrorLine(r, 1, "cannot start: the data directory " + shared.toAbsolutePath(), "writable by every user",
                "CASARE_DATA_DIR");
    }

    @Test
    void a_schema_with_pending_migrations_is_refused_with_the_command_to_run() {
        String db = TestPostgres.createDatabase();
        try {
            try (Database database = Database.open(DatabaseUrl.parse(TestPostgres.url(db)), PoolSettings.forCommand())) {
                OlderSchema.migrateTo(database, "18");
            }
            Result r = start(Map.of("DATABASE_URL", TestPostgres.url(db)), "--port", "0");
            assertOneErrorLine(r, 1, "pending migrations", "casare-rpa orchestrator migrate");
        } finally {
            TestPostgres.dropDatabase(db);
        }
    }

    @Test
    void a_configured_secret_key_that_is_too_short_is_refused() {
        String db = TestPostgres.createMigratedDatabase();
        try {
            assertOneErrorLine(start(Map.of("DATABASE_URL", TestPostgres.url(db), "ORCHESTRATOR_SECRET_KEY", "short"), "--port", "0"),
                    2, "orchestrator.secret_key: too short");
        } finally {
            TestPostgres.dropDatabase(db);
        }
    }

    @Test
    void transaction_pooling_without_a_direct_url_names_the_setting() {
        Map<String, String> env = Map.of("DATABASE_URL", "postgresql://casare@pgbouncer:6432/casare",
                "CASARE_DATABASE_POOL_MODE", "transaction");
        assertOneErrorLine(start(env, "--port", "0"), 2, "database.pool_mode is transaction", "database.direct_url is not set",
                "DATABASE_DIRECT_URL");
        assertOneErrorLine(start(Map.of("CASARE_DATABASE_POOL_MODE", "statement"), "--port", "0"), 2, "database.pool_mode",
                "session, transaction");
    }

    @Test
    void an_unreachable_database_is_one_line() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        Result r = start(Map.of("DATABASE_URL", "postgresql://postgres:hunter2@127.0.0.1:" + closedPort + "/x"), "--port", "0");
        assertOneErrorLine(r, 1, "127.0.0.1:" + closedPort);
        assertThat(r.toString()).doesNotContain("hunter2");
    }

    @Test
    void every_level_has_help() {
        for (String[] args : new String[][] {{"--help"}, {"start", "--help"}, {"init-db", "--help"},
                {"migrate", "--help"}, {"db-status", "--help"}, {"check-db", "--help"}, {"config", "--help"},
                {"backup", "--help"}, {"restore", "--help"}}) {
            Result r = CliHarness.orchestrator(Map.of(), workDir, args);
            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(r.out()).startsWith("Usage: orchestrator");
        }
    }

    @Test
    void a_daemon_is_refused_in_one_line_while_the_pid_file_names_a_running_orchestrator() {
        PidFile pidFile = new PidFile(workDir.resolve("data/orchestrator.pid"));
        assertThat(pidFile.claim(InstanceInfo.ofThisProcess("http://127.0.0.1:1", "0", "db", java.util.Optional.empty())))
                .isTrue();
        try {
            assertOneErrorLine(start(Map.of(), "--daemon"), 1, "already running with the pid file " + pidFile.path(),
                    "pid " + ProcessHandle.current().pid(), "casare-rpa orchestrator stop");
        } finally {
            pidFile.remove();
        }
    }

    @Test
    void daemon_and_reload_together_are_refused() {
        assertOneErrorLine(start(Map.of(), "--daemon", "--reload"), 1, "--daemon and --reload");
    }
}
