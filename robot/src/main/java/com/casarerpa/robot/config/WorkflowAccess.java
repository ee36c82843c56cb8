package com.casarerpa.robot.config;

import com.casarerpa.common.config.ConfigException;
import com.casarerpa.common.config.ResolvedConfig;
import com.casarerpa.common.config.ResolvedValue;
import com.casarerpa.common.config.Setting;
import com.casarerpa.engine.CommandPolicy;
import com.casarerpa.engine.EngineSettings;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a workflow may reach of the robot's machine besides its files, all of it named in the
 * robot's configuration: the programs RunCommandNode may run (none unless
 * {@code robot.run_command.enabled}), and the environment variables those programs get and file
 * paths may read. A variable that carries one of the robot's secrets (its API key) is refused,
 * whatever its name: no workflow may read it.
 */
final class WorkflowAccess {
    private final RobotSchema keys;
    private final ResolvedConfig config;
    private final Map<String, String> env;

    WorkflowAccess(RobotSchema keys, ResolvedConfig config, Map<String, String> env) {
        this.keys = keys;
        this.config = config;
        this.env = env;
    }

    /** The strictest engine settings over {@code filesDir}, with the programs and variables the configuration grants. */
    EngineSettings engineSettings(Path filesDir) {
        ResolvedValue<String> retired = config.resolved(keys.retiredRunCommand);
        if (retired.value().isPresent()) {
            throw new ConfigException(retired.path() + " is retired (" + from(retired) + "): RunCommandNode is now "
                    + keys.runCommand.path() + ", off by default, and runs only the programs of "
                    + keys.allowedExecutables.path() + "; remove " + retired.path() + " and set those instead");
        }
        return EngineSettings.confinedTo(filesDir).withCommands(commands()).withEnvironment(variables(keys.exposedEnvironment));
    }

    private CommandPolicy commands() {
        if (!config.get(keys.runCommand)) {
            return CommandPolicy.DISABLED;
        }
        Map<String, String> childEnvironment = variables(keys.commandEnvironment);
        try {
            return CommandPolicy.allowing(config.get(keys.allowedExecutables), config.get(keys.allowShell), childEnvironment,
                    env.get("PATH"));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(keys.allowedExecutables.path() + ": " + e.getMessage() + " ("
                    + from(config.resolved(keys.allowedExecutables)) + ")");
        }
    }

    /** The named variables that are set, by name; one that carries a secret of the robot is refused. */
    private Map<String, String> variables(Setting<List<String>> setting) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String name : config.get(setting)) {
            String secret = secretCarriedBy(name);
            if (secret != null) {
                throw new ConfigException(setting.path() + ": " + name + " carries the robot's " + secret
                        + ", which no workflow may read; remove it (" + from(config.resolved(setting)) + ")");
            }
            String value = env.get(name);
            if (value != null) {
                values.put(name, value);
            }
        }
        return values;
    }

    /** The secret key a variable carries, as the variable that sets it or by holding its value; null if none. */
    private String secretCarriedBy(String name) {
        String value = env.get(name);
        for (ResolvedValue<?> v : config.values()) {
            if (v.setting().secret() && (keys.schema().envVars(v.setting()).contains(name)
                    || value != null && v.text().filter(secret -> !secret.isEmpty() && value.contains(secret)).isPresent())) {
                return v.path();
            }
        }
        return null;
    }

    private static String from(ResolvedValue<?> v) {
        return "from " + v.source().label() + (v.origin().isEmpty() ? "" : " " + v.origin());
    }
}
