package com.casarerpa.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class YamlConfigFileTest {
    @TempDir
    Path dir;

    private Path write(String yaml) throws IOException {
        return Files.writeString(dir.resolve("app.yaml"), yaml);
    }

    @Test
    void scalars_are_read_by_dotted_path_with_their_line() throws IOException {
        Path file = write("""
                server:
                  host: 0.0.0.0
                  port: 8080
                  limits:
                    burst: "5"
                queue:
                  max_retries: ${RETRIES}
                """);
        YamlConfigFile read = YamlConfigFile.read(file, TestSchema.SCHEMA);
        assertThat(read.values()).containsOnlyKeys("server.host", "server.port", "server.limits.burst", "queue.max_retries");
        assertThat(read.values().get("server.port")).isEqualTo(new YamlConfigFile.Value("8080", 3, false));
        assertThat(read.values().get("server.limits.burst")).isEqualTo(new YamlConfigFile.Value("5", 5, true));
        assertThat(read.values().get("queue.max_retries").text()).isEqualTo("${RETRIES}");
        assertThat(read.origin("server.port")).isEqualTo(file + ":3");
    }

    @Test
    void empty_file_empty_section_and_null_values_mean_unset() throws IOException {
        assertThat(YamlConfigFile.read(write(""), TestSchema.SCHEMA).values()).isEmpty();
        assertThat(YamlConfigFile.read(write("# only a comment\n"), TestSchema.SCHEMA).values()).isEmpty();
        assertThat(YamlConfigFile.read(write("queue:\nserver:\n  host: ~\n  port:\n"), TestSchema.SCHEMA).values()).isEmpty();
    }

    @Test
    void an_unknown_section_names_its_path_line_and_the_known_sections() throws IOException {
        Path file = write("server:\n  port: 1\nqeue:\n  max_retries: 1\n");
        assertThatThrownBy(() -> YamlConfigFile.read(file, TestSchema.SCHEMA))
                .isInstanceOf(ConfigException.class)
                .hasMessage("qeue: unknown section (" + file + ":3); the sections are server, queue, log");
    }

    @Test
    void an_unknown_nested_key_names_its_full_path_and_the_known_keys() throws IOException {
        Path file = write("server:\n  limits:\n    bursts: 5\n");
        assertThatThrownBy(() -> YamlConfigFile.read(file, TestSchema.SCHEMA))
                .hasMessage("server.limits.bursts: unknown key (" + file + ":3); the keys of server.limits are burst");
    }

    @Test
    void a_list_where_a_value_belongs_is_an_error_with_the_expected_type() throws IOException {
        Path file = write("server:\n  port: [1, 2]\n");
        assertThatThrownBy(() -> YamlConfigFile.read(file, TestSchema.SCHEMA))
                .hasMessage("server.port: expected an integer between 0 and 65535, got a list (" + file + ":2)");
    }

    @Test
    void a_value_where_a_section_belongs_is_an_error() throws IOException {
        Path file = write("server: 5\n");
        assertThatThrownBy(() -> YamlConfigFile.read(file, TestSchema.SCHEMA))
                .hasMessage("server: expected a section with the keys host, port, token, limits, got a single value ("
                        + file + ":1)");
    }

    @Test
    void a_syntax_error_is_one_line_with_file_and_line_and_without_the_line_text() throws IOException {
        Path file = write("server:\n  token: s3cr3t-value: oops\n  port: 1\n");
        assertThatThrownBy(() -> YamlConfigFile.read(file, TestSchema.SCHEMA))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file + " line 2: invalid YAML: mapping values are not allowed here")
                .hasMessageNotContaining("s3cr3t");
    }

    @Test
    void a_syntax_error_after_an_unknown_key_is_reported_first() throws IOException {
        Path file = write("nope: 1\nserver:\n  port: [1\n");
        assertThatThrownBy(() -> YamlConfigFile.read(file, TestSchema.SCHEMA))
                .hasMessageStartingWith(file + " line ")
                .hasMessageContaining("invalid YAML")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void a_duplicate_key_is_an_error() throws IOException {
        Path file = write("server:\n  port: 1\n  port: 2\n");
        assertThatThrownBy(() -> YamlConfigFile.read(file, TestSchema.SCHEMA))
                .hasMessage(file + " line 3: invalid YAML: Duplicate field 'port'");
    }

    @Test
    void a_top_level_list_is_an_error() throws IOException {
        Path file = write("- a\n- b\n");
        assertThatThrownBy(() -> YamlConfigFile.read(file, TestSchema.SCHEMA))
                .hasMessage(file + " line 1: expected sections (server, queue, log) at the top level, got a list");
    }

    @Test
    void an_explicit_file_must_exist_and_the_default_one_is_optional() throws IOException {
        Path missing = dir.resolve("missing.yaml");
        assertThatThrownBy(() -> YamlConfigFile.locate(Optional.of(missing), dir.resolve("default.yaml")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("configuration file " + missing + " does not exist");
        assertThat(YamlConfigFile.locate(Optional.empty(), missing)).isEmpty();
        Path present = write("");
        assertThat(YamlConfigFile.locate(Optional.empty(), present)).contains(present);
        assertThatThrownBy(() -> YamlConfigFile.locate(Optional.of(dir), present))
                .hasMessage("configuration file " + dir + " is not a regular file");
    }
}
