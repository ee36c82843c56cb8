package com.casarerpa.robot.config;

import com.casarerpa.common.config.Secret;
import com.casarerpa.common.logging.LoggingSettings;
import com.casarerpa.engine.EngineSettings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything {@code casare-rpa robot start} needs, validated. The keys are in {@link RobotSchema}
 * and docs/robot.md.
 *
 * @param url           the orchestrator's robot endpoint, {@code ws://host:port/ws/robots} or {@code wss://…}
 * @param apiKey        a robot (or admin) API key
 * @param robotId       an explicit robot id; empty means the one stored in the work dir, or a new one
 * @param name          display name; empty means the host name
 * @param capabilities  labels matched against a job's {@code required_capabilities}
 * @param tags          labels matched against a job's {@code tags}
 * @param environment   the environment whose jobs this robot takes
 * @param maxJobs       slots: jobs run at once
 * @param workDir       identity, status file, and the root of file nodes
 * @param shutdownGrace how long running jobs may finish after SIGTERM before they are stopped
 * @param caFile        PEM file of the CA (or certificate) to trust for {@code wss://}, in addition to the JDK's
 * @param engine        the workflow engine's settings
 * @param logging       log level, format and file
 * @param secrets       every secret of the configuration (the API key, …): masked in every message the robot sends
 */
public record RobotSettings(
        URI url,
        Secret apiKey,
        Optional<String> robotId,
        Optional<String> name,
        List<String> capabilities,
        List<String> tags,
        String environment,
        int maxJobs,
        Path workDir,
        Duration shutdownGrace,
        Optional<Path> caFile,
        EngineSettings engine,
        LoggingSettings logging,
        List<Secret> secrets) {

    public RobotSettings {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(apiKey, "apiKey");
        capabilities = List.copyOf(capabilities);
        tags = List.copyOf(tags);
        Objects.requireNonNull(workDir, "workDir");
        secrets = List.copyOf(secrets);
    }
}
