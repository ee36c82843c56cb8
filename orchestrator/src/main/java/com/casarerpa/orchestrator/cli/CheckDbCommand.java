package com.casarerpa.orchestrator.cli;

import com.casarerpa.common.cli.CliContext;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "check-db", mixinStandardHelpOptions = true, description = "Test the database connection and report its state.")
final class CheckDbCommand implements Callable<Integer> {
    private final CliContext ctx;

    @Mixin
    ConfigOptions config;

    CheckDbCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        throw new com.casarerpa.common.cli.CommandFailure("'check-db' is not built yet");
    }
}
