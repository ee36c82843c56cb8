package com.casarerpa.engine;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Robot-side settings of the engine: what a workflow may touch on the robot's machine. Every
 * limit comes from the robot's configuration; nothing a workflow says widens it.
 *
 * @param workDir               relative file paths resolve here; file nodes stay inside it unless {@code filesAnywhere}
 * @param filesAnywhere         file nodes may use any path
 * @param commands              what RunCommandNode may run ({@link CommandPolicy#DISABLED}: nothing)
 * @param allowPrivateNetworks  HttpRequestNode may call loopback and private addresses
 * @param nodeTimeout           the longest one node may take, or {@code null} for none
 * @param environment           the robot's environment variables a workflow may read, by name: {@code $NAME} in a
 *                              file path expands to these and to nothing else of the robot's environment
 */
public record EngineSettings(Path workDir, boolean filesAnywhere, CommandPolicy commands, boolean allowPrivateNetworks,
        Duration nodeTimeout, Map<String, String> environment) {
    public EngineSettings {
        Objects.requireNonNull(workDir, "workDir");
        Objects.requireNonNull(commands, "commands");
        environment = Map.copyOf(environment);
    }

    /** The strictest settings over {@code workDir}: files confined, no commands, no private networks, no node limit, no environment. */
    public static EngineSettings confinedTo(Path workDir) {
        return new EngineSettings(workDir, false, CommandPolicy.DISABLED, false, null, Map.of());
    }

    public EngineSettings withFilesAnywhere(boolean anywhere) {
        return new EngineSettings(workDir, anywhere, commands, allowPrivateNetworks, nodeTimeout, environment);
    }

    public EngineSettings withCommands(CommandPolicy policy) {
        return new EngineSettings(workDir, filesAnywhere, policy, allowPrivateNetworks, nodeTimeout, environment);
    }

    public EngineSettings withPrivateNetworks(boolean allow) {
        return new EngineSettings(workDir, filesAnywhere, commands, allow, nodeTimeout, environment);
    }

    public EngineSettings withNodeTimeout(Duration timeout) {
        return new EngineSettings(workDir, filesAnywhere, commands, allowPrivateNetworks, timeout, environment);
    }

    public EngineSettings withEnvironment(Map<String, String> exposed) {
        return new EngineSettings(workDir, filesAnywhere, commands, allowPrivateNetworks, nodeTimeout, exposed);
    }
}
