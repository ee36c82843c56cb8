package com.casarerpa.common.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import com.casarerpa.common.config.ConfigException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.event.Level;

class LogSetupTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Logger log = LoggerFactory.getLogger("com.casarerpa.test.Dispatcher");

    @TempDir
    Path dir;

    @AfterEach
    void restore_the_test_configuration() throws Exception {
        MDC.clear();
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        new ContextInitializer(context).autoConfig();
    }

    private Path apply(Level level, LogFormat format) {
        Path file = dir.resolve("logs/nested/orchestrator.log");
        LogSetup.apply(new LoggingSettings(level, format, Optional.of(file)), LogTarget.STDERR);
        return file;
    }

    @Test
    void json_format_writes_one_object_per_line_with_mdc_fields_to_the_file() throws IOException {
        Path file = apply(Level.INFO, LogFormat.JSON);
        MDC.put("job_id", "job-17");
        MDC.put("robot_id", "robot-2");
        log.info("job {} assigned", "job-17");
        MDC.clear();
        log.warn("no robot online");

        List<JsonNode> lines = jsonLines(file);
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0).get("message").asText()).isEqualTo("job job-17 assigned");
        assertThat(lines.get(0).get("level").asText()).isEqualTo("INFO");
        assertThat(lines.get(0).get("logger_name").asText()).isEqualTo("com.casarerpa.test.Dispatcher");
        assertThat(lines.get(0).get("job_id").asText()).isEqualTo("job-17");
        assertThat(lines.get(0).get("robot_id").asText()).isEqualTo("robot-2");
        assertThat(lines.get(0).has("@timestamp")).isTrue();
        assertThat(lines.get(1).get("level").asText()).isEqualTo("WARN");
        assertThat(lines.get(1).has("job_id")).isFalse();
    }

    @Test
    void the_level_filters_what_is_written() throws IOException {
        Path file = apply(Level.WARN, LogFormat.JSON);
        log.debug("debug");
        log.info("info");
        log.warn("warn");
        log.error("error");
        assertThat(jsonLines(file)).extracting(n -> n.get("message").asText()).containsExactly("warn", "error");
    }

    @Test
    void debug_level_lets_debug_through() throws IOException {
        Path file = apply(Level.DEBUG, LogFormat.JSON);
        log.trace("trace");
        log.debug("debug");
        assertThat(jsonLines(file)).extracting(n -> n.get("message").asText()).containsExactly("debug");
    }

    @Test
    void text_format_shows_time_level_logger_mdc_and_message() throws IOException {
        Path file = apply(Level.INFO, LogFormat.TEXT);
        MDC.put("robot_id", "robot-2");
        MDC.put("request_id", "req-1");
        log.info("claimed");
        MDC.clear();
        log.error("failed", new IllegalStateException("boom"));

        List<String> lines = Files.readAllLines(file);
        assertThat(lines.get(0)).matches(
                "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d) INFO  c\\S*\\.Dispatcher"
                        + " \\[request_id=req-1 robot_id=robot-2] claimed");
        assertThat(lines.get(1)).matches("\\S+ ERROR c\\S*\\.Dispatcher failed");
        assertThat(lines.get(2)).contains("java.lang.IllegalStateException: boom");
    }

    @Test
    void chatty_libraries_stay_at_warn_unless_debugging() throws IOException {
        Path file = apply(Level.INFO, LogFormat.JSON);
        LoggerFactory.getLogger("org.eclipse.jetty.server.Server").info("jetty info");
        LoggerFactory.getLogger("com.zaxxer.hikari.pool.HikariPool").warn("hikari warn");
        assertThat(jsonLines(file)).extracting(n -> n.get("message").asText()).containsExactly("hikari warn");

        Path debugFile = apply(Level.DEBUG, LogFormat.JSON);
        Files.writeString(debugFile, "");
        LoggerFactory.getLogger("org.flywaydb.core.Flyway").debug("flyway debug");
        LoggerFactory.getLogger("org.flywaydb.core.Flyway").info("flyway info");
        assertThat(jsonLines(debugFile)).extracting(n -> n.get("message").asText()).containsExactly("flyway info");
    }

    @Test
    void java_util_logging_goes_through_the_same_setup() throws IOException {
        Path file = apply(Level.INFO, LogFormat.JSON);
        java.util.logging.Logger.getLogger("some.jul.library").warning("from jul");
        java.util.logging.Logger.getLogger("some.jul.library").fine("fine is below info");
        assertThat(jsonLines(file)).extracting(n -> n.get("message").asText()).containsExactly("from jul");
    }

    @Test
    void an_unwritable_path_is_a_configuration_error_naming_the_file() throws IOException {
        Path notADirectory = Files.writeString(dir.resolve("plain-file"), "x");
        Path file = notADirectory.resolve("orchestrator.log");
        assertThatThrownBy(() -> LogSetup.apply(new LoggingSettings(Level.INFO, LogFormat.TEXT, Optional.of(file)), LogTarget.STDERR))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("logging.path: cannot write " + file + ": ")
                .hasMessageContaining("not a directory");
    }

    private static List<JsonNode> jsonLines(Path file) throws IOException {
        List<JsonNode> nodes = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            nodes.add(JSON.readTree(line));
        }
        return nodes;
    }
}
