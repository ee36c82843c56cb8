package com.casarerpa.orchestrator.cli;

import static com.casarerpa.orchestrator.testing.People.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.common.json.Json;
import com.casarerpa.orchestrator.testing.BothDatabases;
import com.casarerpa.orchestrator.testing.CliHarness;
import com.casarerpa.orchestrator.testing.CliHarness.Result;
import com.casarerpa.orchestrator.testing.Http;
import com.casarerpa.orchestrator.testing.People;
import com.casarerpa.orchestrator.testing.RunningOrchestrator;
import com.casarerpa.orchestrator.testing.TestDatabase;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;

/** create-user, list-users, disable-user, enable-user and reset-password against the database a server uses. */
class UserCommandsTest {

    @Nested
    @BothDatabases
    class Contract {
        @Parameter
        TestDatabase database;
        @TempDir
        Path workDir;

        RunningOrchestrator server;
        Http http;
        People people;

        @BeforeEach
        void start() {
            server = database.isPostgres() ? RunningOrchestrator.postgres(workDir, People.FAST_SIGN_IN)
                    : RunningOrchestrator.embedded(workDir, People.FAST_SIGN_IN);
            http = server.http();
            people = new People(http, "unused");
        }

        @AfterEach
        void stop() {
            server.close();
        }

        private Result run(String... args) {
            return CliHarness.orchestrator(server.env(), workDir, args);
        }

        private static JsonNode json(Result r) throws Exception {
            assertThat(r.exitCode()).as(r.toString()).isZero();
            return Json.mapper().readTree(r.out());
        }

        @Test
        void an_admin_made_with_a_password_on_stdin_signs_in_and_manages_users() throws Exception {
            Result created = CliHarness.orchestratorWithInput(server.env(), workDir, People.PASSWORD + "\n",
                    "create-user", "Root", "--admin", "--password-stdin", "--email", "root@example.com");
            assertThat(created.exitCode()).as(created.toString()).isZero();
            assertThat(created.out()).contains("Created user root").contains("admin").doesNotContain(People.PASSWORD);

            String access = people.signIn("root").json().get("access_token").asText();
            assertThat(http.get("/api/v1/users", bearer(access)).status()).isEqualTo(200);
            assertThat(http.post("/api/v1/api-keys", "{\"name\":\"ci\",\"role\":\"viewer\"}", bearer(access)).status())
                    .isEqualTo(201);
        }

        @Test
        void a_user_made_without_a_password_sets_one_with_the_printed_token() throws Exception {
            Result created = run("create-user", "nina", "--display-name", "Nina Simone");
            assertThat(created.exitCode()).as(created.toString()).isZero();
            Matcher m = Pattern.compile("(crpw_[A-Za-z0-9_-]{43})").matcher(created.out());
            assertThat(m.find()).as(created.out()).isTrue();
            assertThat(created.out()).contains("shown only this once").contains("/api/v1/auth/password");
            assertThat(people.login("nina", People.PASSWORD).status()).isEqualTo(401);

            assertThat(people.setPassword(m.group(1), People.PASSWORD).status()).isEqualTo(200);
            people.signIn("nina");

            JsonNode reset = json(run("reset-password", "NINA", "--json"));
            assertThat(reset.get("username").asText()).isEqualTo("nina");
            assertThat(reset.get("path").asText()).isEqualTo("/api/v1/auth/password");
            assertThat(people.setPassword(reset.get("token").asText(), "a brand new password").status()).isEqualTo(200);
            assertThat(people.login("nina", People.PASSWORD).status()).isEqualTo(401);
            assertThat(people.login("nina", "a brand new password").status()).isEqualTo(200);
        }

        @Test
        void list_disable_and_enable_with_tables_and_json() throws Exception {
            JsonNode created = json(run("create-user", "oscar", "--email", "oscar@example.com", "--json"));
            assertThat(created.get("username").asText()).isEqualTo("oscar");
            assertThat(created.at("/set_password/token").asText()).startsWith("crpw_");
            people.setPassword(created.at("/set_password/token").asText(), People.PASSWORD);
            String refresh = people.signIn("oscar").json().get("refresh_token").asText();

            Result table = run("list-users");
            assertThat(table.out()).containsPattern("USERNAME +ID +NAME +EMAIL +STATUS").contains("oscar@example.com")
                    .contains("active");
            JsonNode listed = json(run("list-users", "--json"));
            assertThat(listed.get("items")).hasSize(1);
            assertThat(listed.at("/items/0/id").asText()).isEqualTo(created.get("id").asText());

            Result disabled = run("disable-user", "oscar");
            assertThat(disabled.exitCode()).as(disabled.toString()).isZero();
            assertThat(disabled.out()).contains("disabled");
            assertThat(http.post("/api/v1/auth/refresh", "{\"refresh_token\":\"" + refresh + "\"}", java.util.Map.of()).status())
                    .isEqualTo(401);
            assertThat(json(run("list-users", "--json")).at("/items/0/status").asText()).isEqualTo("disabled");
            assertThat(json(run("enable-user", "oscar", "--json")).get("status").asText()).isEqualTo("active");
            people.signIn("oscar");
        }

        @Test
        void the_last_admin_user_is_not_disabled_from_the_command_line_nor_over_rest() throws Exception {
            assertThat(createAdmin("root").exitCode()).isZero();
            java.util.Map<String, String> root = bearer(people.signIn("root").json().get("access_token").asText());
            // The quick start's admin key (embedded database) is an admin too: with its account disabled, root is the last one.
            for (JsonNode account : http.get("/api/v1/service-accounts", root).json().get("items")) {
                Http.Response disabled = http.send("DELETE", "/api/v1/service-accounts/" + account.get("id").asText(), null, root);
                assertThat(disabled.status()).as(disabled.body()).isEqualTo(200);
            }

            Result refused = run("disable-user", "root");
            assertThat(refused.exitCode()).isEqualTo(1);
            assertThat(refused.err().strip()).startsWith("error: Disabling user root would leave the installation without an"
                    + " administrator").doesNotContain("\n").doesNotContain("Exception");
            String id = json(run("list-users", "--json")).at("/items/0/id").asText();
            Http.Response overRest = http.post("/api/v1/users/" + id + "/disable", "", root);
            assertThat(overRest.status()).isEqualTo(409);
            assertThat(overRest.json().at("/error/code").asText()).isEqualTo("last_admin");
            assertThat(json(run("list-users", "--json")).at("/items/0/status").asText()).isEqualTo("active");

            assertThat(createAdmin("second").exitCode()).isZero();
            assertThat(run("disable-user", "root").exitCode()).as("another admin remains").isZero();
        }

        private Result createAdmin(String username) {
            return CliHarness.orchestratorWithInput(server.env(), workDir, People.PASSWORD + "\n", "create-user", username, "--admin",
                    "--password-stdin");
        }

        @Test
        void bad_input_is_one_line_and_a_non_zero_exit() {
            Result badName = run("create-user", "no spaces");
            assertThat(badName.exitCode()).isEqualTo(2);
            assertThat(badName.err().strip()).startsWith("error: USERNAME: must be").doesNotContain("\n").doesNotContain("Exception");

            Result noPassword = run("create-user", "pat", "--password-stdin");
            assertThat(noPassword.exitCode()).isEqualTo(2);
            assertThat(noPassword.err()).contains("--password-stdin");

            Result shortPassword = CliHarness.orchestratorWithInput(server.env(), workDir, "short\n", "create-user", "pat",
                    "--password-stdin");
            assertThat(shortPassword.exitCode()).isEqualTo(2);
            assertThat(shortPassword.err()).contains("--password-stdin: must be at least 12 characters");

            assertThat(run("create-user", "quinn").exitCode()).isZero();
            Result twice = run("create-user", "QUINN");
            assertThat(twice.exitCode()).isEqualTo(1);
            assertThat(twice.err()).contains("exists already");

            Result unknown = run("disable-user", "nobody");
            assertThat(unknown.exitCode()).isEqualTo(1);
            assertThat(unknown.err().strip()).isEqualTo("error: no user is named nobody (see list-users)");
            assertThat(run("reset-password", "nobody").exitCode()).isEqualTo(1);
            assertThat(run("list-users").out()).contains("quinn").doesNotContain("pat ");
        }
    }
}
