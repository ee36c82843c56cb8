package com.casarerpa.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    private final ConfigLoader loader = new ConfigLoader(TestSchema.SCHEMA);

    @TempDir
    Path dir;

    private Optional<YamlConfigFile> file(String yaml) throws IOException {
        Path file = Files.writeString(dir.resolve("app.yaml"), yaml);
        return Optional.of(YamlConfigFile.read(file, TestSchema.SCHEMA));
    }

    private Path filePath() {
        return dir.resolve("app.yaml");
    }

    @Test
    void defaults_apply_when_no_source_has_a_value() {
        ResolvedConfig config = loader.load(Map.of(), Map.of(), Optional.empty());
        assertThat(config.get(TestSchema.PORT)).isEqualTo(8000);
        assertThat(config.find(TestSchema.TOKEN)).isEmpty();
        ResolvedValue<Integer> port = config.resolved(TestSchema.PORT);
        assertThat(port.source()).isEqualTo(ValueSource.DEFAULT);
        assertThat(port.origin()).isEmpty();
    }

    @Test
    void flag_beats_environment_beats_file_beats_default() throws IOException {
        var yaml = file("""
                server:
                  host: file-host
                  port: 1001
                  limits:
                    burst: 7
                queue:
                  max_retries: 9
                """);
        Map<String, String> env = Map.of("APP_PORT", "2002", "APP_HOST", "env-host");
        ResolvedConfig config = loader.load(Map.of("server.port", "3003"), env, yaml);

        assertThat(config.get(TestSchema.PORT)).isEqualTo(3003);
        assertThat(config.resolved(TestSchema.PORT).source()).isEqualTo(ValueSource.FLAG);
        assertThat(config.resolved(TestSchema.PORT).origin()).isEqualTo("--port");

        assertThat(config.get(TestSchema.HOST)).isEqualTo("env-host");
        assertThat(config.resolved(TestSchema.HOST).origin()).isEqualTo("APP_HOST");

        assertThat(config.get(TestSchema.BURST)).isEqualTo(7);
        assertThat(config.resolved(TestSchema.BURST).source()).isEqualTo(ValueSource.FILE);
        assertThat(config.resolved(TestSchema.BURST).origin()).isEqualTo(filePath() + ":5");

        assertThat(config.get(TestSchema.LEVEL)).isEqualTo("INFO");
        assertThat(config.resolved(TestSchema.LEVEL).source()).isEqualTo(ValueSource.DEFAULT);
    }

    @Test
    void every_key_has_a_generic_variable_and_the_named_one_wins() {
        ResolvedConfig generic = loader.load(Map.of(), Map.of("APP_SERVER_LIMITS_BURST", "4", "APP_SERVER_PORT", "5"), Optional.empty());
        assertThat(generic.get(TestSchema.BURST)).isEqualTo(4);
        assertThat(generic.resolved(TestSchema.BURST).origin()).isEqualTo("APP_SERVER_LIMITS_BURST");
        assertThat(generic.get(TestSchema.PORT)).isEqualTo(5);

        ResolvedConfig both = loader.load(Map.of(), Map.of("APP_SERVER_PORT", "5", "APP_PORT", "6"), Optional.empty());
        assertThat(both.get(TestSchema.PORT)).isEqualTo(6);
        assertThat(both.resolved(TestSchema.PORT).origin()).isEqualTo("APP_PORT");
    }

    @Test
    void empty_values_count_as_unset_at_every_source() throws IOException {
        var yaml = file("server:\n  port: ${UNSET_PORT:-}\n  host: \"\"\n");
        ResolvedConfig config = loader.load(Map.of("server.port", ""), Map.of("APP_PORT", "", "APP_HOST", " "), yaml);
        assertThat(config.get(TestSchema.PORT)).isEqualTo(8000);
        assertThat(config.resolved(TestSchema.PORT).source()).isEqualTo(ValueSource.DEFAULT);
        assertThat(config.get(TestSchema.HOST)).isEqualTo("127.0.0.1");
    }

    @Test
    void file_values_are_expanded_and_strings_parse_as_integers() throws IOException {
        var yaml = file("server:\n  port: \"${PORT_FROM_ENV}\"\n  host: ${PREFIX}.${DOMAIN:-example.org}\n");
        ResolvedConfig config = loader.load(Map.of(), Map.of("PORT_FROM_ENV", "8080", "PREFIX", "api"), yaml);
        assertThat(config.get(TestSchema.PORT)).isEqualTo(8080);
        assertThat(config.get(TestSchema.HOST)).isEqualTo("api.example.org");
    }

    @Test
    void a_file_value_names_its_line_and_the_variables_it_took_its_value_from() throws IOException {
        var yaml = file("server:\n  host: ${PREFIX}.${DOMAIN:-example.org}\n  token: ${APP_TOKEN}\nqueue:\n  max_retries: ${RETRIES}\n");
        ResolvedConfig config = loader.load(Map.of(), Map.of("PREFIX", "api", "APP_TOKEN", "t0k3n", "RETRIES", "5"), yaml);

        ResolvedValue<String> host = config.resolved(TestSchema.HOST);
        assertThat(host.source()).isEqualTo(ValueSource.FILE);
        assertThat(host.variables()).containsExactly("PREFIX");
        assertThat(host.where()).isEqualTo(filePath() + ":2, ${PREFIX}");
        assertThat(config.resolved(TestSchema.MAX_RETRIES).where()).isEqualTo(filePath() + ":5, ${RETRIES}");
        // APP_TOKEN is also the key's own variable: the file is where it says so, and both show.
        ResolvedValue<String> token = config.resolved(TestSchema.TOKEN);
        assertThat(token.source()).isEqualTo(ValueSource.FILE);
        assertThat(token.where()).isEqualTo(filePath() + ":3, ${APP_TOKEN}");
        assertThat(token.toString()).isEqualTo("server.token=**** (file " + filePath() + ":3, ${APP_TOKEN})");
    }

    @Test
    void the_keys_own_variable_wins_over_a_file_value_that_says_something_else() throws IOException {
        var yaml = file("server:\n  token: ${APP_TOKEN}-suffix\n  port: ${OTHER_PORT}\n");
        ResolvedConfig config = loader.load(Map.of(), Map.of("APP_TOKEN", "t0k3n", "APP_PORT", "9000"), yaml);

        assertThat(config.resolved(TestSchema.TOKEN).source()).isEqualTo(ValueSource.ENVIRONMENT);
        assertThat(config.resolved(TestSchema.TOKEN).where()).isEqualTo("APP_TOKEN");
        assertThat(config.get(TestSchema.PORT)).isEqualTo(9000);
        assertThat(config.resolved(TestSchema.PORT).where()).isEqualTo("APP_PORT");
    }

    @Test
    void a_bad_value_from_a_variable_in_the_file_names_the_line_and_the_variable() throws IOException {
        var yaml = file("queue:\n  max_retries: ${RETRIES}\n");
        assertThatThrownBy(() -> loader.load(Map.of(), Map.of("RETRIES", "three"), yaml))
                .hasMessage("queue.max_retries: expected an integer >= 0, got \"three\" (from " + filePath() + ":2, ${RETRIES})");
    }

    @Test
    void an_unset_variable_in_the_file_is_an_error_naming_it_and_the_key() throws IOException {
        var yaml = file("server:\n  token: ${APP_SECRET_TOKEN}\n");
        assertThatThrownBy(() -> loader.load(Map.of(), Map.of(), yaml))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("server.token (" + filePath() + ":2): environment variable APP_SECRET_TOKEN is not set")
                .hasMessageContaining("${APP_SECRET_TOKEN:-}");
    }

    @Test
    void a_file_value_that_is_overridden_is_neither_expanded_nor_parsed() throws IOException {
        var yaml = file("server:\n  token: ${NOT_SET_ANYWHERE}\n  port: eighty\n");
        ResolvedConfig config = loader.load(Map.of("server.port", "80"), Map.of("APP_TOKEN", "t0k3n"), yaml);
        assertThat(config.get(TestSchema.TOKEN)).isEqualTo("t0k3n");
        assertThat(config.get(TestSchema.PORT)).isEqualTo(80);
    }

    @Test
    void a_wrong_type_names_key_expectation_value_and_source() throws IOException {
        assertThatThrownBy(() -> loader.load(Map.of(), Map.of("APP_QUEUE_MAX_RETRIES", "three"), Optional.empty()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("queue.max_retries: expected an integer >= 0, got \"three\""
                        + " (from environment variable APP_QUEUE_MAX_RETRIES)");
        var yaml = file("queue:\n  max_retries: 2.5\n");
        assertThatThrownBy(() -> loader.load(Map.of(), Map.of(), yaml))
                .hasMessage("queue.max_retries: expected an integer >= 0, got \"2.5\" (from " + filePath() + ":2)");
    }

    @Test
    void an_out_of_range_value_is_an_error() {
        assertThatThrownBy(() -> loader.load(Map.of("server.port", "65536"), Map.of(), Optional.empty()))
                .hasMessage("server.port: expected an integer between 0 and 65535, got \"65536\" (from flag --port)");
        assertThatThrownBy(() -> loader.load(Map.of(), Map.of("APP_QUEUE_MAX_RETRIES", "-1"), Optional.empty()))
                .hasMessage("queue.max_retries: expected an integer >= 0, got \"-1\""
                        + " (from environment variable APP_QUEUE_MAX_RETRIES)");
    }

    @Test
    void choices_match_ignoring_case() {
        ResolvedConfig config = loader.load(Map.of(), Map.of("APP_LOG_LEVEL", "debug"), Optional.empty());
        assertThat(config.get(TestSchema.LEVEL)).isEqualTo("DEBUG");
    }

    @Test
    void a_secret_is_masked_in_display_and_in_to_string() {
        ResolvedConfig config = loader.load(Map.of(), Map.of("APP_TOKEN", "t0p-s3cr3t"), Optional.empty());
        ResolvedValue<String> token = config.resolved(TestSchema.TOKEN);
        assertThat(token.display()).isEqualTo("****");
        assertThat(token.toString()).doesNotContain("t0p-s3cr3t").contains("****");
        assertThat(config.resolved(TestSchema.PORT).display()).isEqualTo("8000");
    }

    @Test
    void a_secret_that_fails_to_parse_is_not_quoted_in_the_error() {
        Setting<Integer> pin = Setting.of("server.pin", ValueType.integer(0), "pin").asSecret();
        ConfigLoader pins = new ConfigLoader(new ConfigSchema("APP_", java.util.List.of(pin)));
        assertThatThrownBy(() -> pins.load(Map.of(), Map.of("APP_SERVER_PIN", "hunter2"), Optional.empty()))
                .hasMessage("server.pin: expected an integer >= 0, got a value that is not shown because the key is secret"
                        + " (from environment variable APP_SERVER_PIN)")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void a_flag_for_an_unknown_key_is_a_programming_error() {
        assertThatThrownBy(() -> loader.load(Map.of("server.nope", "1"), Map.of(), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
