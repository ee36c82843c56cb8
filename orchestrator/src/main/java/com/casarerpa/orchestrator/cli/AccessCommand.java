package com.casarerpa.orchestrator.cli;

import com.casarerpa.common.cli.CliContext;
import com.casarerpa.orchestrator.domain.Actor;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * What the subcommands of {@code folders} and {@code service-accounts} share: the configured
 * database, {@code --json}, and the local administrator as the one who acts.
 */
abstract class AccessCommand implements Callable<Integer> {
    final CliContext ctx;
    final Actor actor = Actor.localCli();

    @Mixin
    ConfigOptions config;

    @Option(names = "--json", description = "Print JSON for scripts.")
    boolean json;

    AccessCommand(CliContext ctx) {
        this.ctx = ctx;
    }
}
