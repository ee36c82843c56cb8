package com.casarerpa.orchestrator.cli;

import com.casarerpa.common.cli.CliContext;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "migrate", mixinStandardHelpOptions = true, description = "Apply pending database migrations.")
final class MigrateCommand implements Callable<Integer> {
    private final CliContext ctx;

    @Mixin
    ConfigOptions config;

    MigrateCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        throw new com.casarerpa.common.cli.CommandFailure("'migrate' is not built yet");
    }
}
