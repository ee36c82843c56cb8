package com.casarerpa.cli;

import com.casarerpa.common.cli.CliContext;
import com.casarerpa.common.cli.CommandRunner;
import com.casarerpa.common.cli.Version;
import com.casarerpa.orchestrator.cli.OrchestratorCommand;
import com.casarerpa.robot.cli.RobotCommand;
import picocli.CommandLine.Command;

/** {@code casare-rpa}: the one entry point of the launcher script. */
@Command(
        name = "casare-rpa",
        description = "CasareRPA: the orchestrator (control plane) of a fleet of RPA robots, and the reference robot.",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        subcommands = {OrchestratorCommand.class, RobotCommand.class})
public final class Main {

    public static void main(String[] args) {
        System.exit(CommandRunner.run(Main.class, CliContext.system(), args));
    }
}
