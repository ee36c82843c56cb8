package com.casarerpa.engine.nodes;

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
 * {@code working_dir} (default: the work dir), or through the system shell with {@code shell}.
 * Outputs {@code stdout}, {@code stderr}, {@code return_code} and {@code success}; a non-zero
 * exit is not a node failure. Fails when the robot disables commands, on a blocked command (see
 * {@link CommandLine}), a missing program, or after {@code timeout} seconds (default 60). A
 * timeout, a cancel or the run's deadline kills the whole process tree.
 */
public final class RunCommandNode implements Node {
    /** stdout and stderr are kept up to this size each; the rest is dropped (the command still runs to its end). */
    static final int MAX_CAPTURE = 10 * 1024 * 1024;

    @Override
    public NodeResult execute(NodeContext ctx) throws Exception {
        if (!ctx.settings().runCommandEnabled()) {
            throw new NodeFailure("CommandDisabled", "RunCommandNode is disabled on this robot (its run-command setting is off)", false);
        }
        String command = ctx.requiredText("command");
        boolean shell = ctx.flag("shell", false);
        if (!ctx.flag("allow_dangerous", false)) {
            CommandLine.checkAllowed(command, shell);
        }
        List<String> argv = argv(command, ctx.param("args"), shell);
        String dir = ctx.text("working_dir", "");
        Path cwd = dir.isBlank() ? ctx.settings().workDir() : WorkDirPaths.resolve(ctx.settings(), dir, "working_dir");
        double timeout = ctx.number("timeout", 60L).doubleValue();
        Path out = Files.createTempFile("casare-cmd-", ".out");
        Path err = Files.createTempFile("casare-cmd-", ".err");
        try {
            Process process;
            try {
                process = new ProcessBuilder(argv).directory(cwd.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new File(nullDevice())))
                        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
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

    private static List<String> argv(String command, Object args, boolean shell) {
        List<String> argv = new ArrayList<>();
        if (shell) {
            String line = args == null || "".equals(args) ? command : command + " " + (args instanceof List<?> l
                    ? String.join(" ", l.stream().map(Values::text).toList()) : Values.text(args));
            boolean windows = File.separatorChar == '\\';
            argv.addAll(windows ? List.of("cmd.exe", "/c", line) : List.of("/bin/sh", "-c", line));
            return argv;
        }
        argv.addAll(CommandLine.words(command));
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
