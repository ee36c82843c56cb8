package com.casarerpa.orchestrator.cli;

import com.casarerpa.common.cli.CliContext;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Which instance {@code status} and {@code stop} mean: the one of this pid file (as {@code start} resolves it). */
final class PidFileOptions {
    @Mixin
    ConfigOptions config;

    @Option(names = "--pid-file", paramLabel = "FILE", description = "Pid file of the instance (orchestrator.pid_file,"
            + " ORCHESTRATOR_PID_FILE; default <data dir>/orchestrator.pid).")
    Path pidFile;

    PidFile resolve(CliContext ctx) {
        Map<String, String> flags = pidFile == null ? Map.of() : Map.of("orchestrator.pid_file", pidFile.toString());
        return new PidFile(config.loadForCommand(ctx, flags).settings().lifecycle().pidFile());
    }
}
