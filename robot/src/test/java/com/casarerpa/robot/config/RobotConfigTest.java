package com.casarerpa.robot.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.casarerpa.common.cli.CliContext;
import com.casarerpa.common.config.ConfigException;
import com.casarerpa.common.config.Secret;
import com.casarerpa.common.config.Setting;
import com.casarerpa.engine.CommandPolicy;
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
                  files_anywhere: yes
                """);
        RobotSettings s = RobotConfig.load(ctx(Map.of("KEY_IN_ENV", "crpa_k", "CASARE_ROBOT_MAX_JOBS", "5")), Optional.empty(),
                Map.of("robot.name", "flagged"));
        assertThat(s.url()).isEqualTo(URI.create("ws://from-file:8000/ws/robots"));
        assertThat(s.apiKey().reveal()).isEqualTo("crpa_k");
        assertThat(s.maxJobs()).isEqualTo(5);
        assertThat(s.name()).contains("flagged");
        assertThat(s.capabilities()).containsExactly("browser", "desktop");
        assertThat(s.tags()).isEmpty();
        assertThat(s.engine().filesAnywhere()).isTrue();
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

    private RobotSettings load(Map<String, String> env, Map<String, String> flags) {
        Map<String, String> all = new java.util.HashMap<>(Map.of("robot.url", "ws://h", "robot.api_key", "crpa_the_robot_key"));
        all.putAll(flags);
        return RobotConfig.load(ctx(env), Optional.empty(), all);
    }

    @Test
    void running_commands_is_off_by_default_and_nothing_of_the_environment_is_exposed() {
        RobotSettings s = load(Map.of("PATH", System.getenv("PATH"), "HOME", "/home/robot"), Map.of());

        assertThat(s.engine().commands()).isEqualTo(CommandPolicy.DISABLED);
        assertThat(s.engine().environment()).isEmpty();
        assertThat(s.secrets()).extracting(Secret::reveal).containsExactly("crpa_the_robot_key");
    }

    @Test
    void the_allow_list_shell_and_environment_of_commands_come_from_the_robots_configuration() throws Exception {
        Files.writeString(cwd.resolve("robot.yaml"), """
                robot:
                  url: ws://h
                  api_key: k
                  run_command:
                    enabled: yes
                    allowed_executables: echo, /bin/sh
                    environment: LANG, UNSET_ONE
                  expose_environment: DATA
                """);
        RobotSettings s = RobotConfig.load(ctx(Map.of("PATH", System.getenv("PATH"), "LANG", "C.UTF-8", "HOME", "/home/robot",
                "DATA", "/srv")), Optional.of(cwd.resolve("robot.yaml")), Map.of());

        CommandPolicy commands = s.engine().commands();
        assertThat(commands.enabled()).isTrue();
        assertThat(commands.allowShell()).isFalse();
        assertThat(commands.executables()).containsOnlyKeys("echo", "/bin/sh");
        assertThat(commands.executables().get("echo")).isAbsolute();
        assertThat(commands.environment()).containsExactly(Map.entry("LANG", "C.UTF-8"));
        assertThat(s.engine().environment()).containsExactly(Map.entry("DATA", "/srv"));
    }

    @Test
    void a_program_that_is_not_found_is_refused_at_start() {
        assertThatThrownBy(() -> load(Map.of("PATH", System.getenv("PATH")), Map.of("robot.run_command.enabled", "true",
                "robot.run_command.allowed_executables", "echo,no-such-program-here")))
                .isInstanceOf(ConfigException.class).hasMessage("robot.run_command.allowed_executables: 'no-such-program-here' is not"
                        + " found on the robot's PATH; give its absolute path (from flag --allowed-executables)");
    }

    @Test
    void no_workflow_may_be_given_a_variable_that_carries_the_robots_key() throws Exception {
        Files.writeString(cwd.resolve("robot.yaml"), """
                robot:
                  url: ws://h
                  api_key: ${MY_ROBOT_KEY}
                """);
        Map<String, String> env = Map.of("MY_ROBOT_KEY", "crpa_secret_1", "CASARE_ROBOT_API_KEY", "crpa_secret_1",
                "WRAPPED", "Bearer crpa_secret_1", "PATH", System.getenv("PATH"));

        for (String key : List.of("robot.expose_environment", "robot.run_command.environment")) {
            for (String name : List.of("MY_ROBOT_KEY", "CASARE_ROBOT_API_KEY", "WRAPPED")) {
                Map<String, String> flags = Map.of(key, name, "robot.run_command.enabled", "true");
                assertThatThrownBy(() -> RobotConfig.load(ctx(env), Optional.of(cwd.resolve("robot.yaml")), flags))
                        .as(key + " " + name).isInstanceOf(ConfigException.class)
                        .hasMessageStartingWith(key + ": " + name + " carries the robot's robot.api_key, which no workflow may read")
                        .hasMessageNotContaining("crpa_secret_1");
            }
        }
    }

    @Test
    void the_retired_run_command_key_is_refused_naming_its_successor() throws Exception {
        Files.writeString(cwd.resolve("robot.yaml"), """
                robot:
                  url: ws://h
                  api_key: k
                engine:
                  run_command_enabled: true
                """);

        assertThatThrownBy(() -> RobotConfig.load(ctx(Map.of()), Optional.of(cwd.resolve("robot.yaml")), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("engine.run_command_enabled is retired (from file " + cwd.resolve("robot.yaml"))
                .hasMessageContaining("robot.run_command.enabled, off by default, and runs only the programs of"
                        + " robot.run_command.allowed_executables");
        assertThatThrownBy(() -> load(Map.of("CASARE_ENGINE_RUN_COMMAND_ENABLED", "false"), Map.of()))
                .hasMessageStartingWith("engine.run_command_enabled is retired (from environment CASARE_ENGINE_RUN_COMMAND_ENABLED)");
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
