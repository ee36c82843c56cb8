package com.casarerpa.robot.config;

import com.casarerpa.common.cli.CliContext;
import com.casarerpa.common.config.ConfigLoader;
import com.casarerpa.common.config.ResolvedConfig;
import com.casarerpa.common.config.ResolvedValue;
import com.casarerpa.common.config.YamlConfigFile;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Loads the robot's configuration with the orchestrator's conventions: flags > environment
 * ({@code CASARE_ROBOT_URL}, …) > YAML file > defaults.
 */
public final class RobotConfig {
    /** Read when it exists and no {@code --config} is given; relative to the working directory. */
    public static final Path DEFAULT_FILE = Path.of("config", "robot.yaml");

    private RobotConfig() {}

    /**
     * The resolved values (for display), without requiring the mandatory keys.
     *
     * @throws com.casarerpa.common.config.ConfigException naming the bad key or file
     */
    public static ResolvedConfig resolve(CliContext ctx, Optional<Path> configFile, Map<String, String> flags) {
        RobotSchema keys = new RobotSchema(ctx.workingDir());
        return resolve(ctx, keys, configFile, flags);
    }

    /**
     * @throws com.casarerpa.common.config.ConfigException naming the bad key or file, or a required key that is unset
     */
    public static RobotSettings load(CliContext ctx, Optional<Path> configFile, Map<String, String> flags) {
        RobotSchema keys = new RobotSchema(ctx.workingDir());
        return keys.settings(resolve(ctx, keys, configFile, flags), ctx.env());
    }

    /** The work dir alone (for {@code robot status}, which needs no URL or key). */
    public static Path workDir(CliContext ctx, Optional<Path> configFile, Map<String, String> flags) {
        RobotSchema keys = new RobotSchema(ctx.workingDir());
        return resolve(ctx, keys, configFile, flags).get(keys.workDir);
    }

    /** Every key with its value as shown to people (secrets masked), for docs and {@code robot config}. */
    public static List<ResolvedValue<?>> entries(CliContext ctx, Optional<Path> configFile, Map<String, String> flags) {
        return resolve(ctx, configFile, flags).values();
    }

    private static ResolvedConfig resolve(CliContext ctx, RobotSchema keys, Optional<Path> configFile, Map<String, String> flags) {
        Optional<Path> file = YamlConfigFile.locate(configFile.map(ctx::resolve), ctx.resolve(DEFAULT_FILE));
        Optional<YamlConfigFile> yaml = file.map(f -> YamlConfigFile.read(f, keys.schema()));
        return new ConfigLoader(keys.schema()).load(flags, ctx.env(), yaml);
    }
}
