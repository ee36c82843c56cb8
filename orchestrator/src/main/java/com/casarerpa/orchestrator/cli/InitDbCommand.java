package com.casarerpa.orchestrator.cli;

import com.casarerpa.common.cli.CliContext;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "init-db", mixinStandardHelpOptions = true, description = "Create the database schema (first time).")
final class InitDbCommand implements Callable<Integer> {
    private final CliContext ctx;

    @Mixin
    ConfigOptions config;

    InitDbCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        throw new com.casarerpa.common.cli.CommandFailure("'init-db' is not built yet");
    }
}
