package com.casarerpa.robot.cli;

import picocli.CommandLine.Command;

/** {@code casare-rpa robot …}: the reference robot. */
@Command(
        name = "robot",
        description = "Run the CasareRPA reference robot: it connects to an orchestrator and runs the jobs it is given.",
        mixinStandardHelpOptions = true,
        versionProvider = com.casarerpa.common.cli.Version.class,
        subcommands = {StartCommand.class, StatusCommand.class, ConfigCommand.class})
public final class RobotCommand {}
