package com.casarerpa.engine;

import static com.casarerpa.engine.WorkflowBuilder.flow;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

class FileNodesTest {
    @TempDir
    Path work;
    @TempDir
    Path elsewhere;

    private EngineHarness harness(boolean filesAnywhere) {
        return new EngineHarness(EngineSettings.confinedTo(work).withFilesAnywhere(filesAnywhere));
    }

    private static WorkflowBuilder single(String type, Map<String, ?> config) {
        return flow().node("start", "StartNode").node("n", type, config).then("start", "n");
    }

    @Test
    void write_then_read_a_file_relative_to_the_work_dir() {
        ExecutionResult r = harness(false).run(flow()
                .node("start", "StartNode")
                .node("write", "WriteFileNode", Map.of("file_path", "out/{{name}}.txt", "content", "héllo {{name}}"))
                .node("append", "WriteFileNode", Map.of("file_path", "out/{{name}}.txt", "content", "!", "append_mode", true))
                .node("read", "ReadFileNode", Map.of("file_path", "out/bob.txt"))
                .node("keep", "SetVariableNode", Map.of("variable_name", "text", "value", "{{read.content}} ({{read.size}} bytes)"))
                .chain("start", "write", "append", "read", "keep")
                .variable("name", "bob"));

        assertThat(r.error()).isNull();
        assertThat(work.resolve("out/bob.txt")).hasContent("héllo bob!");
        assertThat(r.variables()).containsEntry("text", "héllo bob! (11 bytes)");
    }

    @Test
    void write_outputs_the_absolute_path_and_bytes_and_binary_mode_round_trips() {
        byte[] bytes = {0, 1, (byte) 0xff};
        String b64 = Base64.getEncoder().encodeToString(bytes);
        ExecutionResult r = harness(false).run(flow()
                .node("start", "StartNode")
                .node("write", "WriteFileNode", Map.of("file_path", "bin.dat", "content", b64, "binary_mode", true))
                .node("read", "ReadFileNode", Map.of("file_path", "{{write.file_path}}", "binary_mode", true))
                .node("keep", "SetVariableNode", Map.of("variable_name", "got", "value", "{{read.content}}|{{write.bytes_written}}"))
                .chain("start", "write", "read", "keep"));

        assertThat(r.variables()).containsEntry("got", b64 + "|3");
    }

    @Test
    void file_nodes_are_confined_to_the_work_dir_unless_files_anywhere() throws Exception {
        Path outside = elsewhere.resolve("secret.txt");
        Files.writeString(outside, "top secret");
        Files.createSymbolicLink(work.resolve("link"), elsewhere);

        ExecutionResult absolute = harness(false).run(single("ReadFileNode", Map.of("file_path", outside.toString())));
        ExecutionResult dotdot = harness(false).run(single("WriteFileNode", Map.of("file_path", "../x.txt", "content", "x")));
        ExecutionResult viaLink = harness(false).run(single("ReadFileNode", Map.of("file_path", "link/secret.txt")));
        ExecutionResult allowed = harness(true).run(single("ReadFileNode", Map.of("file_path", outside.toString())));

        assertThat(List.of(absolute, dotdot, viaLink)).allSatisfy(r -> {
            assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
            assertThat(r.error().type()).isEqualTo("PathNotAllowed");
            assertThat(r.error().message()).contains("outside the robot's work dir");
            assertThat(r.error().retryable()).isFalse();
        });
        assertThat(work.getParent().resolve("x.txt")).doesNotExist();
        assertThat(allowed.outcome()).isEqualTo(Outcome.SUCCEEDED);
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void a_dangling_link_out_of_the_work_dir_is_refused_and_nothing_is_created_outside() throws Exception {
        Files.createSymbolicLink(work.resolve("escape"), elsewhere.resolve("planted.txt"));
        Files.createSymbolicLink(work.resolve("escape-dir"), elsewhere.resolve("new-dir"));
        Files.createSymbolicLink(work.resolve("hop"), work.resolve("escape"));

        List<ExecutionResult> writes = List.of(
                harness(false).run(single("WriteFileNode", Map.of("file_path", "escape", "content", "x"))),
                harness(false).run(single("WriteFileNode", Map.of("file_path", "escape", "content", "x", "append_mode", true))),
                harness(false).run(single("WriteFileNode", Map.of("file_path", "hop", "content", "x"))),
                harness(false).run(single("WriteFileNode", Map.of("file_path", "escape-dir/f.txt", "content", "x"))));

        assertThat(writes).allSatisfy(r -> assertThat(r.error().type()).as(r.error().message()).isEqualTo("PathNotAllowed"));
        assertThat(elsewhere.resolve("planted.txt")).doesNotExist();
        assertThat(elsewhere.resolve("new-dir")).doesNotExist();
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void a_link_inside_the_work_dir_can_be_read_but_is_not_written_through() throws Exception {
        Files.writeString(work.resolve("target.txt"), "inside");
        Files.createSymbolicLink(work.resolve("alias.txt"), work.resolve("target.txt"));

        ExecutionResult read = harness(false).run(single("ReadFileNode", Map.of("file_path", "alias.txt")));
        ExecutionResult write = harness(false).run(single("WriteFileNode", Map.of("file_path", "alias.txt", "content", "x")));

        assertThat(read.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(write.error().type()).isEqualTo("PathNotAllowed");
        assertThat(write.error().message()).contains("is a symbolic link");
        assertThat(work.resolve("target.txt")).hasContent("inside");
    }

    @Test
    void paths_expand_only_the_environment_variables_the_robot_exposes() throws Exception {
        Files.createDirectories(work.resolve("shared"));
        Files.writeString(work.resolve("shared/in.txt"), "exposed");
        EngineHarness h = new EngineHarness(EngineSettings.confinedTo(work).withEnvironment(Map.of("DATA_DIR", "shared")));

        ExecutionResult leak = h.run(single("ReadFileNode", Map.of("file_path", "leak_${HOME}_$PATH")));
        ExecutionResult exposed = h.run(flow().node("start", "StartNode")
                .node("read", "ReadFileNode", Map.of("file_path", "$DATA_DIR/in.txt"))
                .node("keep", "SetVariableNode", Map.of("variable_name", "got", "value", "{{read.content}}"))
                .chain("start", "read", "keep"));

        assertThat(leak.error().message()).endsWith("leak_${HOME}_$PATH").doesNotContain(System.getenv("PATH"));
        assertThat(exposed.variables()).containsEntry("got", "exposed");
    }

    @Test
    void reading_a_missing_file_fails_with_its_path() {
        ExecutionResult r = harness(false).run(single("ReadFileNode", Map.of("file_path", "nope.txt")));

        assertThat(r.error().message()).isEqualTo("File not found: " + work.resolve("nope.txt").toAbsolutePath());
        assertThat(r.error().nodeType()).isEqualTo("ReadFileNode");
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void an_unexpected_exception_is_reported_with_its_class_message_and_stack_trace() throws Exception {
        Files.createDirectories(work.resolve("a_dir"));

        ExecutionResult r = harness(false).run(single("WriteFileNode", Map.of("file_path", "a_dir", "content", "x")));

        assertThat(r.error().type()).isEqualTo("FileSystemException");
        assertThat(r.error().message()).contains("a_dir").contains("Is a directory");
        assertThat(r.error().details()).contains("at com.casarerpa.engine.nodes.WriteFileNode.execute");
        assertThat(r.error().retryable()).isTrue();
    }

    @Test
    void json_parse_and_format_string_feed_the_next_nodes() {
        ExecutionResult r = harness(false).run(flow()
                .node("start", "StartNode")
                .node("parse", "JsonParseNode", Map.of("json_string", "{\"user\": {\"name\": \"ann\", \"tags\": [\"a\", \"b\"]}}"))
                .node("fmt", "FormatStringNode", Map.of("template", "{greeting}, {who}! {{parse.data.user.tags[1]}} {{}}",
                        "variables", Map.of("greeting", "Hi", "who", "{{parse.data.user.name}}")))
                .node("keep", "SetVariableNode", Map.of("variable_name", "text", "value", "{{fmt.result}}"))
                .chain("start", "parse", "fmt", "keep"));

        assertThat(r.error()).isNull();
        assertThat(r.variables()).containsEntry("text", "Hi, ann! b {}");
    }

    @Test
    void json_parse_and_format_string_fail_clearly() {
        EngineHarness h = harness(false);

        assertThat(h.run(single("JsonParseNode", Map.of("json_string", "{oops"))).error().message()).startsWith("Invalid JSON");
        assertThat(h.run(single("JsonParseNode", Map.of("json_string", ""))).error().message()).isEqualTo("Empty JSON string");
        assertThat(h.run(single("FormatStringNode", Map.of("template", "{missing}"))).error().message()).contains("{missing}");
        assertThat(h.run(single("FormatStringNode", Map.of("template", "{0}"))).error().message()).contains("named fields");
    }
}
