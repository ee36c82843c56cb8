package com.casarerpa.orchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.orchestrator.testing.ChildJvm;
import com.casarerpa.orchestrator.testing.CliHarness;
import com.casarerpa.orchestrator.testing.CliHarness.Result;
import com.casarerpa.orchestrator.testing.HoldEmbeddedDatabase;
import com.casarerpa.orchestrator.testing.TestPostgres;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every way check-db (and the other commands) can fail to connect: exit 1, one line on stderr
 * starting with "error: ", no stack trace, never the password.
 */
class CheckDbFailuresTest {
    private static final String PASSWORD = "hunter2-Sup3rSecret";

    @TempDir
    Path workDir;

    private Result checkDb(String databaseUrl, String... extra) {
        String[] args = new String[extra.length + 1];
        args[0] = "check-db";
        System.arraycopy(extra, 0, args, 1, extra.length);
        return CliHarness.orchestrator(Map.of("DATABASE_URL", databaseUrl), workDir, args);
    }

    private static void assertOneErrorLine(Result result, String expected) {
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        assertThat(result.err()).as(result.toString()).isEqualTo("error: " + expected + System.lineSeparator());
        assertThat(result.out() + result.err()).doesNotContain(PASSWORD).doesNotContain("\tat ");
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void a_closed_port_is_reported_as_connection_refused() throws IOException {
        int port = closedPort();

        Result result = checkDb("postgresql://casare:" + PASSWORD + "@127.0.0.1:" + port + "/casare");

        assertOneErrorLine(result, "cannot reach PostgreSQL at 127.0.0.1:" + port
                + ": connection refused (is the server running and listening on that port?)");
    }

    @Test
    void an_unknown_host_is_named() {
        Result result = checkDb("postgresql://casare:" + PASSWORD + "@no-such-host.invalid/casare");

        assertOneErrorLine(result, "cannot reach PostgreSQL at no-such-host.invalid:5432: unknown host \"no-such-host.invalid\"");
    }

    @Test
    void a_role_that_does_not_exist_is_reported_as_refused_credentials() {
        Result result = checkDb("postgresql://no_such_role:" + PASSWORD + "@" + TestPostgres.HOST + ":" + TestPostgres.PORT
                + "/postgres");

        assertOneErrorLine(result, "PostgreSQL at " + TestPostgres.HOST + ":" + TestPostgres.PORT
                + " refused the login of user \"no_such_role\": role \"no_such_role\" does not exist;"
                + " check the user name and password in database.url (DATABASE_URL)");
    }

    @Test
    void a_missing_database_is_named_with_the_command_that_creates_it() {
        String url = "postgresql://" + TestPostgres.USER + ":" + PASSWORD + "@" + TestPostgres.HOST + ":" + TestPostgres.PORT
                + "/no_such_database";

        Result result = checkDb(url);

        assertOneErrorLine(result, "database \"no_such_database\" does not exist on " + TestPostgres.HOST + ":"
                + TestPostgres.PORT + "; create it with: createdb -h " + TestPostgres.HOST + " -p " + TestPostgres.PORT
                + " -U " + TestPostgres.USER + " no_such_database");
    }

    @Test
    void json_output_of_a_failure_gives_the_reason_for_scripts() throws Exception {
        int port = closedPort();

        Result result = checkDb("postgresql://casare:" + PASSWORD + "@127.0.0.1:" + port + "/casare", "--json");

        assertThat(result.exitCode()).isEqualTo(1);
        JsonNode json = new ObjectMapper().readTree(result.out());
        assertThat(json.get("ok").asBoolean()).isFalse();
        assertThat(json.get("reason").asText()).isEqualTo("unreachable");
        assertThat(json.get("url").asText()).isEqualTo("postgresql://casare:****@127.0.0.1:" + port + "/casare");
        assertThat(result.out()).doesNotContain(PASSWORD);
    }

    @Test
    void the_other_commands_fail_the_same_way() throws IOException {
        int port = closedPort();
        String url = "postgresql://casare:" + PASSWORD + "@127.0.0.1:" + port + "/casare";
        String expected = "cannot reach PostgreSQL at 127.0.0.1:" + port
                + ": connection refused (is the server running and listening on that port?)";

        for (String command : new String[] {"init-db", "migrate", "db-status"}) {
            assertOneErrorLine(CliHarness.orchestrator(Map.of("DATABASE_URL", url), workDir, command), expected);
        }
    }

    @Test
    void an_invalid_url_is_a_configuration_error_that_does_not_quote_the_password() {
        Result result = checkDb("postgresql://casare:" + PASSWORD + "@db:notaport/casare");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).startsWith("error: configuration: database.url: the port must be a number")
                .doesNotContain(PASSWORD);
    }

    @Test
    void an_embedded_database_held_exclusively_by_another_process_is_reported_as_locked(@TempDir Path dataDir)
            throws Exception {
        try (ChildJvm holder = ChildJvm.start(HoldEmbeddedDatabase.class, "exclusive", dataDir.toString()).awaitLine("ready")) {
            Result result = CliHarness.orchestrator(Map.of("CASARE_DATA_DIR", dataDir.toString()), workDir, "check-db");

            assertOneErrorLine(result, "the H2 database " + dataDir.toAbsolutePath().resolve("casare.mv.db")
                    + " is locked by another process that does not share it (it was opened without AUTO_SERVER=TRUE);"
                    + " stop that process and try again");
        }
    }
}
