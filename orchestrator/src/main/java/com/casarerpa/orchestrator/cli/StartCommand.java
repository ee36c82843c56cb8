package com.casarerpa.orchestrator.cli;

import com.casarerpa.common.cli.CliContext;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "start", mixinStandardHelpOptions = true, description = "Start the orchestrator server.")
final class StartCommand implements Callable<Integer> {
    private final CliContext ctx;

    @Mixin
    ConfigOptions config;

    StartCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        throw new com.casarerpa.common.cli.CommandFailure("'start' is not built yet");
    }
}
