package com.casarerpa.robot.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.casarerpa.common.cli.CliContext;
import com.casarerpa.common.config.ConfigException;
import com.casarerpa.common.config.Setting;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RobotConfigTest {
    @TempDir
    Path cwd;

    private CliContext ctx(Map<String, String> env) {
        return new CliContext(env, cwd, new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
    }

    @Test
    void flags_beat_variables_beat_the_file_beat_defaults() throws Exception {
        Files.createDirectories(cwd.resolve("config"));
        Files.writeString(cwd.resolve("config/robot.yaml"), """
                robot:
                  url: ws://from-file:8000
                  api_key: ${KEY_IN_ENV}
                  max_jobs: 3
                  capabilities: browser, desktop ,browser
                engine:
                  run_command_enabled: no
                """);
        RobotSettings s = RobotConfig.load(ctx(Map.of("KEY_IN_ENV", "crpa_k", "CASARE_ROBOT_MAX_JOBS", "5")), Optional.empty(),
                Map.of("robot.name", "flagged"));
        assertThat(s.url()).isEqualTo(URI.create("ws://from-file:8000/ws/robots"));
        assertThat(s.apiKey().reveal()).isEqualTo("crpa_k");
        assertThat(s.maxJobs()).isEqualTo(5);
        assertThat(s.name()).contains("flagged");
        assertThat(s.capabilities()).containsExactly("browser", "desktop");
        assertThat(s.tags()).isEmpty();
        assertThat(s.engine().runCommandEnabled()).isFalse();
        assertThat(s.workDir()).isEqualTo(cwd.resolve("data/robot"));
        assertThat(s.engine().workDir()).isEqualTo(cwd.resolve("data/robot/files"));
        assertThat(s.shutdownGrace()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void urls_are_normalised_to_the_robot_endpoint_and_unsafe_ones_refused() {
        assertThat(RobotUrl.parse("ws://h:8000")).isEqualTo(URI.create("ws://h:8000/ws/robots"));
        assertThat(RobotUrl.parse("https://h/")).isEqualTo(URI.create("wss://h/ws/robots"));
        assertThat(RobotUrl.parse("wss://h:9/custom/path")).isEqualTo(URI.create("wss://h:9/custom/path"));
        for (String bad : List.of("ftp://h", "ws://h:8000/ws/robots?api_key=crpa_x", "ws://user:pw@h", "h:8000", "ws:///x")) {
            assertThatThrownBy(() -> RobotUrl.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void a_robot_id_that_the_protocol_refuses_is_refused_here_first() {
        assertThatThrownBy(() -> RobotConfig.load(ctx(Map.of()), Optional.empty(),
                Map.of("robot.url", "ws://h", "robot.api_key", "k", "robot.id", "-bad id")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("robot.id: expected 1 to 128 characters");
    }

    @Test
    void every_key_is_documented_in_docs_robot_md() throws Exception {
        String doc = Files.readString(Path.of("..", "docs", "robot.md"));
        for (Setting<?> s : new RobotSchema(cwd).schema().settings()) {
            assertThat(doc).as(s.path()).contains("| `" + s.path() + "` |");
            assertThat(doc).as(s.path() + " variable").contains(new RobotSchema(cwd).schema().genericEnvVar(s));
            s.flag().ifPresent(flag -> assertThat(doc).as(s.path() + " flag").contains("`" + flag + "`"));
        }
    }
}
