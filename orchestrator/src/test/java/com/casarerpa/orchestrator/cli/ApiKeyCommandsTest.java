package com.casarerpa.orchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.common.json.Json;
import com.casarerpa.orchestrator.testing.CliHarness;
import com.casarerpa.orchestrator.testing.CliHarness.Result;
import com.casarerpa.orchestrator.testing.Http;
import com.casarerpa.orchestrator.testing.RunningOrchestrator;
import com.casarerpa.orchestrator.testing.TestPostgres;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** create-api-key, list-api-keys and revoke-api-key against the database a server uses. */
class ApiKeyCommandsTest {
    @TempDir
    Path workDir;

    private Result run(Map<String, String> env, String... args) {
        return CliHarness.orchestrator(env, workDir, args);
    }

    @Test
    void a_key_made_on_the_command_line_works_on_the_running_server_until_revoked() throws Exception {
        try (RunningOrchestrator server = RunningOrchestrator.postgres(workDir)) {
            Result created = run(server.env(), "create-api-key", "--name", "Admin Key", "--role", "admin");
            assertThat(created.exitCode()).as(created.toString()).isZero();
            Matcher m = Pattern.compile("(crpa_[A-Za-z0-9_-]{43})").matcher(created.out());
            assertThat(m.find()).as(created.out()).isTrue();
            String key = m.group(1);
            assertThat(created.out()).contains("shown only this once").contains("role admin").contains("never expires");

            Http http = server.http();
            assertThat(http.get("/api/v1/api-keys", Map.of("X-API-Key", key)).status()).isEqualTo(200);

            Result list = run(server.env(), "list-api-keys");
            assertThat(list.exitCode()).isZero();
            assertThat(list.out()).containsPattern("ID +NAME +ROLE +PREFIX +STATUS +CREATED +LAST USED +EXPIRES")
                    .contains("Admin Key").contains("active").doesNotContain(key);
            JsonNode listed = Json.mapper().readTree(run(server.env(), "list-api-keys", "--json").out());
            String id = listed.get("items").get(0).get("id").asText();
            assertThat(listed.get("items").get(0).get("last_used_at").isNull()).isFalse();

            Result revoked = run(server.env(), "revoke-api-key", id);
            assertThat(revoked.exitCode()).as(revoked.toString()).isZero();
            assertThat(revoked.out()).contains("Revoked API key \"Admin Key\" (" + id + ")");
            assertThat(http.get("/api/v1/api-keys", Map.of("X-API-Key", key)).status()).isEqualTo(401);
            assertThat(run(server.env(), "list-api-keys").out()).contains("No API keys");
            assertThat(run(server.env(), "list-api-keys", "--all").out()).contains("revoked");
        }
    }

    @Test
    void json_output_and_expiry_forms() throws Exception {
        try (RunningOrchestrator server = RunningOrchestrator.embedded(workDir)) {
            JsonNode k = Json.mapper().readTree(run(server.env(), "create-api-key", "--name", "Robot Production 1",
                    "--role", "robot", "--robot-id", "robot-vm-a96bcfb5", "--expires", "30d", "--json").out());
            assertThat(k.get("key").asText()).startsWith("crpa_");
            assertThat(k.get("role").asText()).isEqualTo("robot");
            assertThat(k.get("robot_id").asText()).isEqualTo("robot-vm-a96bcfb5");
            assertThat(k.get("expires_at").asText()).startsWith("20");
            assertThat(run(server.env(), "create-api-key", "--name", "d", "--role", "viewer", "--expires", "2099-01-31").exitCode()).isZero();

            JsonNode ofRoot = Json.mapper().readTree(run(server.env(), "create-api-key", "--name", "Team robots", "--role", "robot",
                    "--folder", "Default", "--folder", "root", "--json").out());
            assertThat(ofRoot.get("folders").toString()).as("a folder by path and by id, once").isEqualTo("[\"root\"]");
            Result readable = run(server.env(), "create-api-key", "--name", "Team robots 2", "--role", "robot", "--folder", "Default");
            assertThat(readable.out()).contains("folders root");
        }
    }

    @Test
    void bad_input_is_one_line_and_changes_nothing() {
        Map<String, String> env = Map.of("CASARE_DATA_DIR", workDir.resolve("data").toString());
        assertThat(run(env, "init-db").exitCode()).isZero();

        Result badRole = run(env, "create-api-key", "--name", "x", "--role", "root");
        assertThat(badRole.exitCode()).isEqualTo(2);
        assertThat(badRole.err().strip()).isEqualTo("error: --role: expected admin, operator, viewer or robot, got \"root\"");

        Result noName = run(env, "create-api-key", "--role", "admin");
        assertThat(noName.exitCode()).isEqualTo(2);
        assertThat(noName.err()).contains("--name").hasLineCount(1);

        Result badExpiry = run(env, "create-api-key", "--name", "x", "--role", "admin", "--expires", "soon");
        assertThat(badExpiry.exitCode()).isEqualTo(2);
        assertThat(badExpiry.err()).startsWith("error: --expires:").hasLineCount(1);

        Result boundViewer = run(env, "create-api-key", "--name", "x", "--role", "viewer", "--robot-id", "r1");
        assertThat(boundViewer.exitCode()).isEqualTo(2);
        assertThat(boundViewer.err()).contains("--robot-id").hasLineCount(1);

        Result noSuchFolder = run(env, "create-api-key", "--name", "x", "--role", "robot", "--folder", "Default/Nope");
        assertThat(noSuchFolder.exitCode()).isEqualTo(2);
        assertThat(noSuchFolder.err()).startsWith("error: --folder: no folder \"Default/Nope\"").hasLineCount(1);

        Result viewerInFolder = run(env, "create-api-key", "--name", "x", "--role", "viewer", "--folder", "Default");
        assertThat(viewerInFolder.exitCode()).isEqualTo(2);
        assertThat(viewerInFolder.err()).contains("--folder").contains("only a robot key").hasLineCount(1);

        Result unknown = run(env, "revoke-api-key", "key_nope");
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.err()).contains("key_nope does not exist").hasLineCount(1);

        assertThat(run(env, "list-api-keys", "--all").out()).contains("No API keys");
    }

    @Test
    void an_uninitialised_database_says_to_run_init_db() {
        String db = TestPostgres.createDatabase();
        try {
            Result r = run(Map.of("DATABASE_URL", TestPostgres.url(db)), "create-api-key", "--name", "x", "--role", "admin");
            assertThat(r.exitCode()).isEqualTo(1);
            assertThat(r.err()).contains("no schema yet").contains("casare-rpa orchestrator init-db").hasLineCount(1);
        } finally {
            TestPostgres.dropDatabase(db);
        }
    }
}
