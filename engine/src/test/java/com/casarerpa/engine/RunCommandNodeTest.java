package com.casarerpa.engine;

import static com.casarerpa.engine.WorkflowBuilder.flow;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

@DisabledOnOs(OS.WINDOWS)
class RunCommandNodeTest {
    private static final String PATH = System.getenv("PATH");

    @TempDir
    Path work;

    /** An engine whose robot allows {@code programs}, no shell, and passes only PATH to them. */
    private EngineHarness allowing(String... programs) {
        return allowing(false, Map.of("PATH", PATH), programs);
    }

    private EngineHarness allowing(boolean shell, Map<String, String> environment, String... programs) {
        return new EngineHarness(EngineSettings.confinedTo(work)
                .withCommands(CommandPolicy.allowing(List.of(programs), shell, environment, PATH)));
    }

    private static WorkflowBuilder single(Map<String, ?> config) {
        return flow().node("start", "StartNode").node("n", "RunCommandNode", config).then("start", "n");
    }

    private static WorkflowBuilder keepOutput(Map<String, ?> config) {
        return single(config).node("keep", "SetVariableNode", Map.of("variable_name", "out", "value", "{{n.stdout}}"))
                .then("n", "keep");
    }

    @Test
    void commands_are_off_unless_the_robot_turns_them_on() {
        ExecutionResult r = new EngineHarness(EngineSettings.confinedTo(work)).run(single(Map.of("command", "echo hi")));
        ExecutionResult missing = allowing("echo").run(single(Map.of()));

        assertThat(r.error().type()).isEqualTo("CommandDisabled");
        assertThat(r.error().message()).contains("disabled on this robot");
        assertThat(missing.error().message()).contains("needs 'command'");
    }

    @Test
    void only_programs_on_the_robots_allow_list_run_and_the_workflow_cannot_widen_it() throws Exception {
        Path victim = Files.writeString(work.resolve("victim.txt"), "keep me");
        EngineHarness h = allowing("echo");
        List<Map<String, Object>> attempts = List.of(
                Map.of("command", "rm victim.txt"),
                Map.of("command", "rm victim.txt", "allow_dangerous", true),
                Map.of("command", "env rm victim.txt"),
                Map.of("command", "sh -c 'rm victim.txt'"),
                Map.of("command", "/bin/rm", "args", List.of("victim.txt")),
                Map.of("command", "find . -name victim.txt -delete"),
                Map.of("command", "echo x; rm victim.txt", "shell", true),
                Map.of("command", "rm victim.txt", "shell", true, "allow_dangerous", true));

        for (Map<String, Object> attempt : attempts) {
            ExecutionResult r = h.run(single(attempt));
            assertThat(r.error()).as(attempt.toString()).isNotNull();
            assertThat(r.error().type()).as(attempt.toString()).isEqualTo("CommandNotAllowed");
            assertThat(r.error().retryable()).isFalse();
        }
        assertThat(victim).hasContent("keep me");
        assertThat(h.run(single(Map.of("command", "rm victim.txt"))).error().message())
                .isEqualTo("'rm' is not a program this robot allows (it allows echo); the robot's configuration decides");
    }

    @Test
    void arguments_reach_the_program_as_an_argv_array_not_through_a_shell() throws Exception {
        Path victim = Files.writeString(work.resolve("victim.txt"), "keep me");

        ExecutionResult r = allowing("echo").run(keepOutput(Map.of("command", "echo",
                "args", List.of("a; rm victim.txt", "$(rm victim.txt)", "`rm victim.txt`", "| rm victim.txt"))));

        assertThat(r.variables()).containsEntry("out", "a; rm victim.txt $(rm victim.txt) `rm victim.txt` | rm victim.txt\n");
        assertThat(victim).hasContent("keep me");
    }

    @Test
    void the_child_gets_only_the_environment_the_robot_names() {
        ExecutionResult r = allowing(false, Map.of("GREETING", "hello"), "env").run(keepOutput(Map.of("command", "env")));

        assertThat(r.variables()).containsEntry("out", "GREETING=hello\n");
    }

    @Test
    void a_shell_runs_only_when_the_robot_allows_one() {
        ExecutionResult refused = allowing("echo", "sh").run(keepOutput(Map.of("command", "echo a; echo b", "shell", true)));
        ExecutionResult allowed = allowing(true, Map.of("PATH", PATH)).run(keepOutput(Map.of("command", "echo a; echo b", "shell", true)));

        assertThat(refused.error().type()).isEqualTo("CommandNotAllowed");
        assertThat(refused.error().message()).contains("runs no command through a shell");
        assertThat(allowed.variables()).containsEntry("out", "a\nb\n");
    }

    @Test
    void a_program_given_by_path_must_resolve_to_an_allowed_one() throws Exception {
        Path echo = CommandPolicy.allowing(List.of("echo"), false, Map.of(), PATH).executables().get("echo");
        Files.copy(echo, work.resolve("echo"));

        ExecutionResult byPath = allowing("echo").run(keepOutput(Map.of("command", echo + " hi")));
        ExecutionResult dotted = allowing("echo").run(keepOutput(Map.of("command", echo.getParent() + "/../" + echo.getParent().getFileName() + "/echo hi")));
        ExecutionResult copy = allowing("echo").run(keepOutput(Map.of("command", "./echo hi")));
        ExecutionResult onlyByPath = allowing(echo.toString()).run(keepOutput(Map.of("command", "echo hi")));

        assertThat(byPath.variables()).containsEntry("out", "hi\n");
        assertThat(dotted.variables()).containsEntry("out", "hi\n");
        assertThat(copy.error().type()).isEqualTo("CommandNotAllowed");
        assertThat(onlyByPath.error().type()).isEqualTo("CommandNotAllowed");
    }

    @Test
    void an_allow_list_entry_that_is_not_a_program_is_refused_when_the_robot_starts() {
        assertThatThrownBy(() -> CommandPolicy.allowing(List.of("no-such-program-here"), false, Map.of(), PATH))
                .hasMessageContaining("'no-such-program-here' is not found on the robot's PATH");
        assertThatThrownBy(() -> CommandPolicy.allowing(List.of("bin/echo"), false, Map.of(), PATH))
                .hasMessageContaining("relative path");
        assertThatThrownBy(() -> CommandPolicy.allowing(List.of(work.toString()), false, Map.of(), PATH))
                .hasMessageContaining("is not an executable file");
    }

    @Test
    void run_command_captures_output_and_a_non_zero_exit_is_not_a_failure() {
        ExecutionResult r = allowing("echo", "sh", "pwd").run(flow()
                .node("start", "StartNode")
                .node("ok", "RunCommandNode", Map.of("command", "echo", "args", List.of("hello", "{{who}}")))
                .node("bad", "RunCommandNode", Map.of("command", "sh -c 'echo oops >&2; exit 3'"))
                .node("keep", "SetVariableNode", Map.of("variable_name", "got",
                        "value", "{{ok.stdout}}|{{bad.stderr}}|{{bad.return_code}}|{{bad.success}}"))
                .chain("start", "ok", "bad", "keep")
                .variable("who", "world"));

        assertThat(r.error()).isNull();
        assertThat(r.variables()).containsEntry("got", "hello world\n|oops\n|3|false");
    }

    @Test
    void run_command_takes_its_command_from_a_data_port_before_config() {
        ExecutionResult r = allowing("echo", "sh", "pwd").run(flow()
                .node("start", "StartNode")
                .node("cmd", "SetVariableNode", Map.of("variable_name", "c", "value", "pwd"))
                .node("run", "RunCommandNode", Map.of("command", "echo config"))
                .node("keep", "SetVariableNode", Map.of("variable_name", "got", "value", "{{run.stdout}}"))
                .chain("start", "cmd", "run", "keep").wire("cmd", "value", "run", "command"));

        assertThat(r.variables().get("got")).asString().startsWith(work.toAbsolutePath().toString());
    }

    @Test
    void a_command_past_its_timeout_is_killed_and_fails_the_node() throws Exception {
        ExecutionResult r = allowing("echo", "sh", "pwd").run(single(
                Map.of("command", "sh -c 'echo $$ > pid.txt; sleep 60'", "timeout", 0.5)));

        assertThat(r.error().type()).isEqualTo("CommandTimeout");
        assertThat(r.error().message()).isEqualTo("Command timed out after 0.5s");
        long pid = Long.parseLong(Files.readString(work.resolve("pid.txt")).trim());
        await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
    }

    @Test
    void cancel_kills_a_running_command_and_its_children() throws Exception {
        EngineHarness h = allowing("echo", "sh", "pwd");
        Cancellation cancellation = new Cancellation();
        CompletableFuture<ExecutionResult> run = CompletableFuture.supplyAsync(() -> h.run(single(
                Map.of("command", "sh -c 'sleep 60 & echo $! > child.pid; echo $$ > pid.txt; wait'")).json(), Map.of(), null, cancellation));
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(work.resolve("pid.txt")) && Files.size(work.resolve("pid.txt")) > 0);
        long pid = Long.parseLong(Files.readString(work.resolve("pid.txt")).trim());
        long child = Long.parseLong(Files.readString(work.resolve("child.pid"), StandardCharsets.UTF_8).trim());
        assertThat(ProcessHandle.of(child)).hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());

        cancellation.cancel("job_cancel");
        ExecutionResult r = run.get(20, TimeUnit.SECONDS);

        assertThat(r.outcome()).isEqualTo(Outcome.CANCELLED);
        await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true)
                && ProcessHandle.of(child).map(p -> !p.isAlive()).orElse(true));
    }

    @Test
    void the_run_timeout_kills_a_running_command() throws Exception {
        ExecutionResult r = allowing("echo", "sh", "pwd").run(single(
                Map.of("command", "sh -c 'echo $$ > pid.txt; sleep 60'")).setting("timeout", 1));

        assertThat(r.outcome()).isEqualTo(Outcome.TIMED_OUT);
        assertThat(r.error().nodeId()).isEqualTo("n");
        long pid = Long.parseLong(Files.readString(work.resolve("pid.txt")).trim());
        await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
    }
}
