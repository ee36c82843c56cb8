package com.casarerpa.orchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.common.cli.CliContext;
import com.casarerpa.orchestrator.config.OrchestratorConfig;
import com.casarerpa.orchestrator.testing.CliHarness;
import com.casarerpa.orchestrator.testing.CliHarness.Result;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigCommandTest {
    /** Every key of the schema is listed, whatever their number. */
    private static final int SETTINGS = OrchestratorConfig.load(new CliContext(Map.of(), Path.of("/nonexistent"),
            new PrintWriter(Writer.nullWriter()), new PrintWriter(Writer.nullWriter())), Optional.empty(), Map.of()).entries().size();
    private static final String SECRET_KEY = "jwt-s3cr3t-0123456789abcdef";
    private static final String DB_PASSWORD = "db-pa55w0rd";
    private static final Map<String, String> ENV_WITH_SECRETS = Map.of(
            "ORCHESTRATOR_SECRET_KEY", SECRET_KEY,
            "DATABASE_URL", "postgresql://casare:" + DB_PASSWORD + "@db.internal:5432/casare",
            "ORCHESTRATOR_PORT", "9000");

    @TempDir
    Path dir;

    private Path writeDefaultFile(String yaml) throws IOException {
        Path file = dir.resolve("config/orchestrator.yaml");
        Files.createDirectories(file.getParent());
        return Files.writeString(file, yaml);
    }

    @Test
    void prints_every_key_with_value_and_source_in_aligned_columns() throws IOException {
        Path file = writeDefaultFile("orchestrator:\n  workers: 4\nlogging:\n  format: json\n");
        Result result = CliHarness.orchestrator(ENV_WITH_SECRETS, dir, "config");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.err()).isEmpty();
        String[] lines = result.out().split("\n");
        assertThat(lines[0]).isEqualTo("Configuration file: " + file);
        assertThat(lines[1]).isEmpty();
        assertThat(lines[2]).matches("KEY +VALUE +SOURCE");
        int valueColumn = lines[2].indexOf("VALUE");
        int sourceColumn = lines[2].indexOf("SOURCE");
        assertThat(lines).hasSize(3 + SETTINGS);
        for (int i = 3; i < lines.length; i++) {
            assertThat(lines[i].charAt(valueColumn - 1)).as(lines[i]).isEqualTo(' ');
            assertThat(lines[i].charAt(valueColumn)).as(lines[i]).isNotEqualTo(' ');
            assertThat(lines[i].charAt(sourceColumn)).as(lines[i]).isNotEqualTo(' ');
        }
        assertThat(result.out())
                .containsPattern("orchestrator\\.port +9000 +environment \\(ORCHESTRATOR_PORT\\)\n")
                .containsPattern("orchestrator\\.workers +4 +file \\(" + java.util.regex.Pattern.quote(file + ":2") + "\\)\n")
                .containsPattern("orchestrator\\.secret_key +\\*\\*\\*\\* +environment \\(ORCHESTRATOR_SECRET_KEY\\)\n")
                .containsPattern("database\\.url +postgresql://casare:\\*\\*\\*\\*@db\\.internal:5432/casare +environment \\(DATABASE_URL\\)\n")
                .containsPattern("queue\\.max_retries +3 +default\n")
                .containsPattern("logging\\.path +\\(not set\\) +default\n");
    }

    @Test
    void a_value_the_file_takes_from_a_variable_shows_the_file_line_and_the_variable() throws IOException {
        // The specification's file: the secret through ${ORCHESTRATOR_SECRET_KEY}, also the key's own variable.
        Path file = writeDefaultFile("orchestrator:\n  host: 0.0.0.0\n  secret_key: ${ORCHESTRATOR_SECRET_KEY}\n"
                + "queue:\n  max_retries: ${RETRIES}\n");
        Map<String, String> env = Map.of("ORCHESTRATOR_SECRET_KEY", SECRET_KEY, "RETRIES", "5");

        Result text = CliHarness.orchestrator(env, dir, "config");
        Result json = CliHarness.orchestrator(env, dir, "config", "--json");

        assertThat(text.exitCode()).as(text.toString()).isZero();
        assertThat(text.out())
                .containsPattern("orchestrator\\.secret_key +\\*\\*\\*\\* +file \\("
                        + java.util.regex.Pattern.quote(file + ":3, ${ORCHESTRATOR_SECRET_KEY}") + "\\)\n")
                .containsPattern("queue\\.max_retries +5 +file \\(" + java.util.regex.Pattern.quote(file + ":5, ${RETRIES}") + "\\)\n")
                .containsPattern("orchestrator\\.host +0\\.0\\.0\\.0 +file \\(" + java.util.regex.Pattern.quote(file + ":2") + "\\)\n")
                .doesNotContain(SECRET_KEY);
        JsonNode secret = new ObjectMapper().readTree(json.out()).at("/settings/orchestrator.secret_key");
        assertThat(secret.get("source").asText()).isEqualTo("file");
        assertThat(secret.get("origin").asText()).isEqualTo(file + ":3");
        assertThat(secret.get("variables")).extracting(JsonNode::asText).containsExactly("ORCHESTRATOR_SECRET_KEY");
        assertThat(json.out()).doesNotContain(SECRET_KEY);
    }

    @Test
    void without_a_file_it_says_so_and_shows_the_embedded_database() {
        Result result = CliHarness.orchestrator(Map.of(), dir, "config");
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out())
                .startsWith("Configuration file: none (config/orchestrator.yaml not found; use --config FILE to name one)\n")
                .containsPattern("database\\.url +\\(not set: embedded H2 database in "
                        + java.util.regex.Pattern.quote(dir.resolve("data").toString()) + "\\) +default\n");
    }

    @Test
    void json_output_parses_and_holds_every_key_with_its_source() throws IOException {
        Path file = writeDefaultFile("queue:\n  max_retries: 5\n");
        Result result = CliHarness.orchestrator(ENV_WITH_SECRETS, dir, "config", "--json");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        JsonNode json = new ObjectMapper().readTree(result.out());
        assertThat(json.get("config_file").asText()).isEqualTo(file.toString());
        JsonNode settings = json.get("settings");
        assertThat(settings.size()).isEqualTo(SETTINGS);
        assertThat(settings.get("orchestrator.port").get("value").asText()).isEqualTo("9000");
        assertThat(settings.get("orchestrator.port").get("source").asText()).isEqualTo("environment");
        assertThat(settings.get("orchestrator.port").get("origin").asText()).isEqualTo("ORCHESTRATOR_PORT");
        assertThat(settings.get("queue.max_retries").get("source").asText()).isEqualTo("file");
        assertThat(settings.get("queue.max_retries").get("origin").asText()).isEqualTo(file + ":2");
        assertThat(settings.get("orchestrator.secret_key").get("value").asText()).isEqualTo("****");
        assertThat(settings.get("database.url").get("value").asText()).isEqualTo("postgresql://casare:****@db.internal:5432/casare");
        assertThat(settings.get("logging.path").get("value").isNull()).isTrue();
        assertThat(settings.get("logging.path").get("origin").isNull()).isTrue();
    }

    @Test
    void secrets_never_appear_in_the_output_in_either_format() throws IOException {
        writeDefaultFile("orchestrator:\n  secret_key: ${MY_KEY}\n");
        Map<String, String> env = Map.of("MY_KEY", SECRET_KEY,
                "CASARE_DATABASE_URL", "jdbc:postgresql://db/casare?user=casare&password=" + DB_PASSWORD);
        for (String[] args : new String[][] {{"config"}, {"config", "--json"}}) {
            Result result = CliHarness.orchestrator(env, dir, args);
            assertThat(result.exitCode()).as(result.toString()).isZero();
            assertThat(result.out() + result.err()).doesNotContain(SECRET_KEY).doesNotContain(DB_PASSWORD).contains("****");
        }
    }

    @Test
    void debug_flag_shows_as_a_flag_source() {
        Result result = CliHarness.orchestrator(Map.of(), dir, "config", "--debug");
        assertThat(result.out()).containsPattern("logging\\.level +DEBUG +flag \\(--debug\\)\n");
    }

    @Test
    void an_explicit_config_file_is_used() throws IOException {
        Path file = Files.writeString(dir.resolve("prod.yaml"), "scheduler:\n  timezone: Europe/Berlin\n");
        Result result = CliHarness.orchestrator(Map.of(), dir, "config", "--config", "prod.yaml");
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).startsWith("Configuration file: " + file + "\n")
                .containsPattern("scheduler\\.timezone +Europe/Berlin +file");
    }

    @Test
    void a_missing_explicit_config_file_exits_2_with_one_line() {
        Result result = CliHarness.orchestrator(Map.of(), dir, "config", "--config", "missing.yaml");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).isEqualTo("error: configuration: configuration file " + dir.resolve("missing.yaml")
                + " does not exist\n");
    }

    @Test
    void an_invalid_value_exits_2_with_one_line_naming_the_key() {
        Result result = CliHarness.orchestrator(Map.of("CASARE_QUEUE_MAX_RETRIES", "three"), dir, "config", "--json");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).isEqualTo("error: configuration: queue.max_retries: expected an integer >= 0, got \"three\""
                + " (from environment variable CASARE_QUEUE_MAX_RETRIES)\n");
    }

    @Test
    void a_yaml_syntax_error_exits_2_with_one_line_and_no_secret() throws IOException {
        Path file = writeDefaultFile("orchestrator:\n  secret_key: " + SECRET_KEY + ": oops\n");
        Result result = CliHarness.orchestrator(Map.of(), dir, "config");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).startsWith("error: configuration: " + file + " line 2: invalid YAML: ")
                .doesNotContain(SECRET_KEY)
                .hasLineCount(1);
    }
}
