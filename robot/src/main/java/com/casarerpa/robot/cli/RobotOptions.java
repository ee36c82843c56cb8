package com.casarerpa.robot.cli;

import com.casarerpa.common.cli.CliContext;
import com.casarerpa.robot.config.RobotConfig;
import com.casarerpa.robot.config.RobotSettings;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/** What every robot command shares: the configuration file, the work dir, debug output. */
final class RobotOptions {
    @Option(names = "--config", paramLabel = "FILE",
            description = "YAML configuration file (default: config/robot.yaml when it exists).")
    Path configFile;

    @Option(names = "--work-dir", paramLabel = "DIR",
            description = "The robot's directory: identity, status file, files/ (robot.work_dir, CASARE_ROBOT_WORK_DIR; default ./data/robot).")
    Path workDir;

    @Option(names = "--debug", description = "Log at DEBUG level.")
    boolean debug;

    Map<String, String> flags(Map<String, String> own) {
        Map<String, String> all = new LinkedHashMap<>(own);
        if (workDir != null) {
            all.put("robot.work_dir", workDir.toString());
        }
        if (debug) {
            all.put("logging.level", "DEBUG");
        }
        return all;
    }

    RobotSettings load(CliContext ctx, Map<String, String> own) {
        return RobotConfig.load(ctx, Optional.ofNullable(configFile), flags(own));
    }

    Path workDir(CliContext ctx) {
        return RobotConfig.workDir(ctx, Optional.ofNullable(configFile), flags(Map.of()));
    }
}
