package com.casarerpa.orchestrator.testing;

import com.casarerpa.common.cli.CliContext;
import com.casarerpa.common.cli.CommandRunner;
import com.casarerpa.orchestrator.cli.OrchestratorCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;

/**
 * Runs {@code casare-rpa orchestrator …} in-process with an environment and working directory of
 * the test's choosing, and captures what it prints.
 */
public final class CliHarness {
    private CliHarness() {}

    public record Result(int exitCode, String out, String err) {
        /** All output, for messages in failed assertions. */
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    public static Result orchestrator(Map<String, String> env, Path workingDir, String... args) {
        return orchestratorWithInput(env, workingDir, "", args);
    }

    /** As {@link #orchestrator}, with {@code stdin} on its standard input (a password for {@code --password-stdin}). */
    public static Result orchestratorWithInput(Map<String, String> env, Path workingDir, String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CliContext ctx = new CliContext(env, workingDir, new PrintWriter(out, true), new PrintWriter(err, true),
                new java.io.ByteArrayInputStream(stdin.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        int code = CommandRunner.run(OrchestratorCommand.class, ctx, args);
        return new Result(code, out.toString(), err.toString());
    }
}
