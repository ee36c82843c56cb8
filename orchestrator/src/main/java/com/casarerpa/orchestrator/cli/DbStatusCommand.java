package com.casarerpa.orchestrator.cli;

import com.casarerpa.common.cli.CliContext;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "db-status", mixinStandardHelpOptions = true, description = "Show applied and pending database migrations.")
final class DbStatusCommand implements Callable<Integer> {
    private final CliContext ctx;

    @Mixin
    ConfigOptions config;

    DbStatusCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        throw new com.casarerpa.common.cli.CommandFailure("'db-status' is not built yet");
    }
}
