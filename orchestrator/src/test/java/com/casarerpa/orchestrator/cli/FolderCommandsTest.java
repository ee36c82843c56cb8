package com.casarerpa.orchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.common.json.Json;
import com.casarerpa.orchestrator.testing.CliHarness;
import com.casarerpa.orchestrator.testing.CliHarness.Result;
import com.casarerpa.orchestrator.testing.Http;
import com.casarerpa.orchestrator.testing.RunningOrchestrator;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** folders create|list|bind|unbind and service-accounts create|list|key on the database a server uses. */
class FolderCommandsTest {
    @TempDir
    Path workDir;

    private Result run(Map<String, String> env, String... args) {
        return CliHarness.orchestrator(env, workDir, args);
    }

    private JsonNode json(Map<String, String> env, String... args) throws Exception {
        Result r = run(env, args);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return Json.mapper().readTree(r.out());
    }

    private static List<String> paths(JsonNode items) {
        List<String> out = new ArrayList<>();
        items.forEach(i -> out.add(i.get("path").asText()));
        return out;
    }

    @Test
    void folders_and_a_service_account_made_on_the_command_line_decide_what_its_key_sees() throws Exception {
        try (RunningOrchestrator server = RunningOrchestrator.embedded(workDir)) {
            Map<String, String> env = server.env();
            JsonNode finance = json(env, "folders", "create", "Finance", "--description", "Money", "--json");
            assertThat(finance.get("path").asText()).isEqualTo("Default/Finance");
            assertThat(finance.get("description").asText()).isEqualTo("Money");
            Result ap = run(env, "folders", "create", "Default/Finance/AP");
            assertThat(ap.out()).startsWith("Created folder Default/Finance/AP (fld_");
            run(env, "folders", "create", "HR");

            Result table = run(env, "folders", "list");
            assertThat(table.out()).containsPattern("ID +PATH +DESCRIPTION").containsPattern("root +Default ")
                    .containsPattern("Default/Finance +Money");
            assertThat(paths(json(env, "folders", "list", "--json").get("items")))
                    .containsExactly("Default", "Default/Finance", "Default/Finance/AP", "Default/HR");

            String account = json(env, "service-accounts", "create", "ci", "--description", "pipeline", "--json").get("id").asText();
            JsonNode key = json(env, "service-accounts", "key", "ci", "--name", "pipeline key", "--json");
            assertThat(key.get("role").asText()).isEqualTo("bindings");
            assertThat(run(env, "service-accounts", "list").out()).containsPattern(account + " +ci +active");
            assertThat(json(env, "service-accounts", "list", "--json").get("items")).hasSize(2);

            JsonNode binding = json(env, "folders", "bind", "Default/Finance", "--service-account", "ci", "--role", "viewer", "--json");
            assertThat(binding.at("/principal/id").asText()).isEqualTo(account);
            assertThat(binding.get("folder_path").asText()).isEqualTo("Default/Finance");
            Http http = server.http();
            Map<String, String> ci = Map.of("X-API-Key", key.get("key").asText());
            assertThat(paths(http.get("/api/v1/folders", ci).json().get("items"))).containsExactly("Default", "Default/Finance",
                    "Default/Finance/AP");

            Result unbound = run(env, "folders", "unbind", "Default/Finance", "--service-account", "ci", "--role", "viewer");
            assertThat(unbound.out()).as(unbound.toString()).contains("Took back binding " + binding.get("id").asText());
            assertThat(http.get("/api/v1/folders", ci).status()).as("it holds nothing now").isEqualTo(403);

            String again = json(env, "folders", "bind", "Default/Finance", "--service-account", account, "--role", "operator", "--json")
                    .get("id").asText();
            assertThat(json(env, "folders", "unbind", "Default/Finance", again, "--json").get("deleted").asText()).isEqualTo(again);
        }
    }

    @Test
    void bad_input_is_one_line_and_changes_nothing() throws Exception {
        Map<String, String> env = Map.of("CASARE_DATA_DIR", workDir.resolve("data").toString());
        assertThat(run(env, "init-db").exitCode()).isZero();
        run(env, "folders", "create", "Finance");

        expectOneLine(run(env, "folders", "create", "Nowhere/AP"), 2, "error: parent: no folder with id or path \"Nowhere\"");
        expectOneLine(run(env, "folders", "create", "finance"), 1, "already has a folder named Finance");
        expectOneLine(run(env, "folders", "create", "Default/a\tb"), 2, "error: name: a folder name is");
        expectOneLine(run(env, "folders", "bind", "Default/Finance", "--user", "nobody", "--role", "viewer"), 2,
                "error: principal.id: no user has the id or name \"nobody\"");
        expectOneLine(run(env, "folders", "bind", "Default/Finance", "--group", "g", "--user", "u", "--role", "viewer"), 2, "mutually exclusive");
        expectOneLine(run(env, "folders", "bind", "Default/Finance", "--role", "viewer"), 2, "Missing required argument");
        expectOneLine(run(env, "folders", "unbind", "Default/Finance"), 2, "error: give BINDING_ID, or --user/--group/--service-account");
        expectOneLine(run(env, "folders", "unbind", "Default/Finance", "rb_nothing"), 1, "error: Binding rb_nothing does not exist in folder"
                + " Default/Finance");
        run(env, "service-accounts", "create", "ci");
        expectOneLine(run(env, "folders", "bind", "Default/Finance", "--service-account", "ci", "--role", "admin"), 2,
                "error: role: the admin role is the whole installation's");
        expectOneLine(run(env, "service-accounts", "key", "nobody", "--name", "k"), 1, "error: Service account nobody does not exist.");

        assertThat(paths(json(env, "folders", "list", "--json").get("items"))).containsExactly("Default", "Default/Finance");
    }

    private static void expectOneLine(Result r, int exit, String start) {
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(exit);
        assertThat(r.err().strip()).as(r.toString()).contains(start).doesNotContain("\n").doesNotContain("Exception");
    }
}
