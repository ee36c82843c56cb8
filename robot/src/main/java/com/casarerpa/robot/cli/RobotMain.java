package com.casarerpa.robot.cli;

import com.casarerpa.common.cli.CliContext;
import com.casarerpa.common.cli.CommandRunner;

/**
 * {@code java -jar casare-robot.jar start …}: the robot on its own, for machines that get only
 * the robot artifact. The same commands as {@code casare-rpa robot …}.
 */
public final class RobotMain {
    private RobotMain() {}

    public static void main(String[] args) {
        System.exit(CommandRunner.run(RobotCommand.class, CliContext.system(), args));
    }
}
