package com.casarerpa.engine.nodes;

import com.casarerpa.engine.CommandPolicy;
import com.casarerpa.engine.LogLevel;
import com.casarerpa.engine.node.Node;
import com.casarerpa.engine.node.NodeContext;
import com.casarerpa.engine.node.NodeFailure;
import com.casarerpa.engine.node.NodeResult;
import com.casarerpa.engine.value.Values;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code command} with {@code args} (a list, or text split into words) in
 * {@code working_dir} (default: the work dir) as an argv array, or, with {@code shell}, through
 * the system shell. Outputs {@code stdout}, {@code stderr}, {@code return_code} and
 * {@code success}; a non-zero exit is not a node failure. What may run is the robot's
 * {@link CommandPolicy}, never the workflow's: it fails when the robot disables commands, on a
 * program not on the robot's allow-list or a shell the robot does not allow
 * ({@code allow_dangerous} is ignored), on a missing program, or after {@code timeout} seconds
 * (default 60). The child's environment is the policy's, not the robot's. A timeout, a cancel
 * or the run's deadline kills the whole process tree.
 */
public final class RunCommandNode implements Node {
    /** stdout and stderr are kept up to this size each; the rest is dropped (the command still runs to its end). */
    static final int MAX_CAPTURE = 10 * 1024 * 1024;

    @Override
    public NodeResult execute(NodeContext ctx) throws Exception {
        CommandPolicy policy = ctx.settings().commands();
        if (!policy.enabled()) {
            throw new NodeFailure("CommandDisabled", "RunCommandNode is disabled on this robot (its run-command setting is off)", false);
        }
        String command = ctx.requiredText("command");
        if (ctx.flag("allow_dangerous", false)) {
            ctx.log(LogLevel.WARNING, "allow_dangerous is ignored: this robot's configuration decides which programs run");
        }
        String dir = ctx.text("working_dir", "");
        Path cwd = dir.isBlank() ? ctx.settings().workDir() : WorkDirPaths.resolve(ctx.settings(), dir, "working_dir");
        List<String> argv = ctx.flag("shell", false)
                ? shell(policy, command, ctx.param("args"))
                : allowed(policy, argv(command, ctx.param("args")), cwd);
        double timeout = ctx.number("timeout", 60L).doubleValue();
        Path out = Files.createTempFile("casare-cmd-", ".out");
        Path err = Files.createTempFile("casare-cmd-", ".err");
        try {
            Process process;
            try {
                ProcessBuilder builder = new ProcessBuilder(argv).directory(cwd.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new File(nullDevice())))
                        .redirectOutput(out.toFile()).redirectError(err.toFile());
                builder.environment().clear();
                builder.environment().putAll(policy.environment());
                process = builder.start();
            } catch (IOException e) {
                throw new NodeFailure("CommandNotFound", "cannot start '" + argv.getFirst() + "': " + e.getMessage(), false);
            }
            boolean exited;
            try {
                exited = process.waitFor(Math.max(1, (long) (timeout * 1000)), TimeUnit.MILLISECONDS);
            } catch (InterruptedException cancelled) {
                killTree(process);
                throw cancelled;
            }
            if (!exited) {
                killTree(process);
                throw new NodeFailure("CommandTimeout", "Command timed out after " + Values.text(ctx.number("timeout", 60L)) + "s", true);
            }
            int code = process.exitValue();
            return NodeResult.next(NodeResult.outputs(
                    "stdout", capture(out), "stderr", capture(err),
                    "return_code", (long) code, "success", code == 0));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** The first {@link #MAX_CAPTURE} bytes of an output stream, as UTF-8 text. */
    private static String capture(Path file) throws IOException {
        try (var in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(MAX_CAPTURE);
            String text = new String(bytes, StandardCharsets.UTF_8);
            return in.read() < 0 ? text : text + "\n[output cut at " + MAX_CAPTURE + " bytes]";
        }
    }

    /** The argv with its program replaced by the allow-list's absolute path, or a failure naming what is allowed. */
    private static List<String> allowed(CommandPolicy policy, List<String> argv, Path cwd) {
        String program = argv.getFirst();
        Path path = policy.program(program, cwd).orElseThrow(() -> new NodeFailure("CommandNotAllowed", "'" + program
                + "' is not a program this robot allows (" + (policy.executables().isEmpty() ? "its allow-list is empty"
                : "it allows " + String.join(", ", policy.executables().keySet())) + "); the robot's configuration decides", false));
        List<String> out = new ArrayList<>(argv);
        out.set(0, path.toString());
        return out;
    }

    private static List<String> shell(CommandPolicy policy, String command, Object args) {
        if (!policy.allowShell()) {
            throw new NodeFailure("CommandNotAllowed", "this robot runs no command through a shell (its configuration does"
                    + " not allow it); set shell to false and give the program and its arguments", false);
        }
        String line = args == null || "".equals(args) ? command : command + " " + (args instanceof List<?> l
                ? String.join(" ", l.stream().map(Values::text).toList()) : Values.text(args));
        boolean windows = File.separatorChar == '\\';
        return windows ? List.of("cmd.exe", "/c", line) : List.of("/bin/sh", "-c", line);
    }

    private static List<String> argv(String command, Object args) {
        List<String> argv = new ArrayList<>(CommandLine.words(command));
        if (args instanceof List<?> list) {
            list.forEach(a -> argv.add(Values.text(a)));
        } else if (args != null) {
            argv.addAll(CommandLine.words(Values.text(args)));
        }
        if (argv.isEmpty()) {
            throw NodeFailure.config("command is required");
        }
        return argv;
    }

    /** Kills the process and everything it started (children first, so that none is orphaned). */
    static void killTree(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.descendants().forEach(ProcessHandle::destroyForcibly);
    }

    private static String nullDevice() {
        return File.separatorChar == '\\' ? "NUL" : "/dev/null";
    }
}
